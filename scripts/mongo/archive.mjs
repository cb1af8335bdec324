// mongodump --archive, as mongo-tools documents it (common/archive): magic 0x8199e26d
// (little-endian), a header document, collection-metadata documents, a terminator
// (0xffffffff), then namespace segments — a namespace header, BSON documents, a terminator —
// and per namespace an EOF header {EOF: true, CRC} + terminator. Every document is decoded.
import { deserialize } from "bson";

import { Crc64, DumpError } from "./byte-reader.mjs";

export const ARCHIVE_MAGIC = Buffer.from([0x6d, 0xe2, 0x99, 0x81]);
const TERMINATOR = 0xffffffff;
// BSON's 16 MiB document limit plus the headroom mongod allows internally.
const MAX_DOCUMENT = 16 * 1024 * 1024 + 16 * 1024;

/** Reads one BSON document; null at a terminator. Decodes it fully (every field, nested). */
export async function readDocument(reader, where, { allowTerminator = true, onBytes } = {}) {
  const at = reader.offset;
  const head = await reader.read(4);
  if (!head) throw new DumpError("DUMP_TRUNCATED", `the dump ends inside ${where.describe()}`, where.collection, at);
  const size = head.readUInt32LE(0);
  if (size === TERMINATOR) {
    if (allowTerminator) return null;
    throw new DumpError("DUMP_CORRUPT", `a terminator where ${where.describe()} should start`, where.collection, at);
  }
  if (size < 5 || size > MAX_DOCUMENT)
    throw new DumpError("DUMP_CORRUPT", `${where.describe()} claims an impossible size (${size} bytes)`, where.collection, at);
  const body = await reader.read(size - 4);
  if (!body) throw new DumpError("DUMP_TRUNCATED", `the dump ends inside ${where.describe()}`, where.collection, at);
  const bytes = Buffer.concat([head, body]);
  let doc;
  try {
    doc = deserialize(bytes, { useBigInt64: true, validation: { utf8: true } });
  } catch (error) {
    throw new DumpError("DUMP_CORRUPT", `${where.describe()} is not valid BSON: ${error.message}`, where.collection, at);
  }
  onBytes?.(bytes);
  return doc;
}

function place(description, collection = null) {
  return { collection, describe: () => description };
}

function indexCount(metadata) {
  try {
    const parsed = JSON.parse(metadata);
    return Array.isArray(parsed.indexes) ? parsed.indexes.length : null;
  } catch {
    return null;
  }
}

export async function readArchive(reader) {
  await reader.read(4); // the magic, checked by the caller
  const header = await readDocument(reader, place("the archive header"), { allowTerminator: false });
  const namespaces = new Map();
  const entry = (db, name) => {
    const key = `${db}.${name}`;
    if (!namespaces.has(key)) namespaces.set(key, { db, name, documents: 0, bytes: 0, indexes: null, crc: new Crc64(), done: false });
    return namespaces.get(key);
  };
  for (;;) {
    const meta = await readDocument(reader, place("the collection metadata"));
    if (!meta) break;
    if (typeof meta.db !== "string" || typeof meta.collection !== "string")
      throw new DumpError("DUMP_CORRUPT", "a collection-metadata document without db and collection", null, reader.offset);
    entry(meta.db, meta.collection).indexes = typeof meta.metadata === "string" ? indexCount(meta.metadata) : null;
  }
  while (!(await reader.atEnd())) {
    const at = reader.offset;
    const ns = await readDocument(reader, place("a namespace header"), { allowTerminator: false });
    if (typeof ns.db !== "string" || typeof ns.collection !== "string")
      throw new DumpError("DUMP_CORRUPT", "a namespace header without db and collection", null, at);
    const coll = entry(ns.db, ns.collection);
    const key = `${coll.db}.${coll.name}`;
    if (coll.done) throw new DumpError("DUMP_CORRUPT", `data for ${key} after its end-of-collection header`, key, at);
    if (ns.EOF === true) {
      const end = await readDocument(reader, place(`the end of ${key}`, key));
      if (end) throw new DumpError("DUMP_CORRUPT", `no terminator after the end-of-collection header of ${key}`, key, at);
      const expected = BigInt.asUintN(64, BigInt(ns.CRC ?? 0));
      if (expected !== 0n && expected !== coll.crc.value())
        throw new DumpError("DUMP_CORRUPT", `the CRC-64 of ${key} does not match its end-of-collection header`, key, at);
      coll.done = true;
      continue;
    }
    const where = place(`a document of ${key}`, key);
    const onBytes = (bytes) => {
      coll.crc.update(bytes);
      coll.bytes += bytes.length;
    };
    while (await readDocument(reader, where, { onBytes })) coll.documents++;
  }
  const open = [...namespaces.values()].filter((c) => !c.done);
  if (open.length) {
    const key = `${open[0].db}.${open[0].name}`;
    throw new DumpError(
      "DUMP_TRUNCATED",
      `the archive ends before the end of ${open.map((c) => `${c.db}.${c.name}`).join(", ")}`,
      key,
      reader.offset,
    );
  }
  return {
    format: "mongo-archive",
    header: {
      version: str(header.version),
      serverVersion: str(header.server_version),
      toolVersion: str(header.tool_version),
    },
    collections: [...namespaces.values()].map(({ db, name, documents, bytes, indexes }) => ({ db, name, documents, bytes, indexes })),
  };
}

function str(v) {
  return typeof v === "string" && v.length ? v : null;
}
