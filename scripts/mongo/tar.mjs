// A mongodump output directory packed with tar: <db>/<collection>.bson[.gz] holds the
// documents back to back, <collection>.metadata.json[.gz] the index definitions.
// The tar's own header checksums are checked; every document is decoded.
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";

import { ByteReader, DumpError } from "./byte-reader.mjs";
import { readDocument } from "./archive.mjs";

const BLOCK = 512;

function field(block, start, length) {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString("utf8");
}

function checksumOk(block) {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum === parseInt(field(block, 148, 8).trim() || "-1", 8);
}

export function looksLikeTar(head) {
  return head.length >= 262 && head.subarray(257, 262).toString("latin1") === "ustar";
}

/** "dump/shop/orders.bson.gz" → { db: "shop", name: "orders", kind: "bson", gzip: true }. */
function classify(path) {
  const m = /(?:^|\/)([^/]+)\/([^/]+?)\.(bson|metadata\.json)(\.gz)?$/.exec(path);
  if (!m) return null;
  return { db: m[1], name: m[2], kind: m[3] === "bson" ? "bson" : "metadata", gzip: Boolean(m[4]) };
}

async function decodeBson(bytes, key, collection) {
  const reader = new ByteReader(Readable.from([bytes]));
  const where = { collection: key, describe: () => `a document of ${key}` };
  const onBytes = (b) => (collection.bytes += b.length);
  while (!(await reader.atEnd())) {
    if (!(await readDocument(reader, where, { allowTerminator: false, onBytes }))) break;
    collection.documents++;
  }
}

export async function readTar(reader) {
  const collections = new Map();
  const entry = (db, name) => {
    const key = `${db}.${name}`;
    if (!collections.has(key)) collections.set(key, { db, name, documents: 0, bytes: 0, indexes: null });
    return collections.get(key);
  };
  let longName = null;
  for (;;) {
    const at = reader.offset;
    const block = await reader.read(BLOCK);
    if (!block) throw new DumpError("DUMP_TRUNCATED", "the tar archive ends without its end-of-archive blocks", null, at);
    if (block.every((b) => b === 0)) break; // end of archive
    if (!checksumOk(block)) throw new DumpError("DUMP_CORRUPT", "a tar header fails its checksum", null, at);
    const size = parseInt(field(block, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(block[156] || 0x30);
    const prefix = field(block, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = null;
    const target = type === "0" ? classify(path) : null;
    const key = target ? `${target.db}.${target.name}` : null;
    const data = await reader.read(Math.ceil(size / BLOCK) * BLOCK);
    if (!data) throw new DumpError("DUMP_TRUNCATED", `the tar archive ends inside ${path}`, key, reader.offset);
    let content = data.subarray(0, size);
    if (type === "L") longName = field(content, 0, content.length);
    if (type === "x") longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString("utf8"))?.[1] ?? null;
    if (!target) continue;
    if (target.gzip) {
      try {
        content = gunzipSync(content);
      } catch (error) {
        throw new DumpError("DUMP_CORRUPT", `${path} is not a valid gzip stream: ${error.message}`, key, at);
      }
    }
    const collection = entry(target.db, target.name);
    if (target.kind === "metadata") {
      try {
        const indexes = JSON.parse(content.toString("utf8")).indexes;
        collection.indexes = Array.isArray(indexes) ? indexes.length : null;
      } catch {
        throw new DumpError("DUMP_CORRUPT", `${path} is not valid JSON`, key, at);
      }
    } else {
      try {
        await decodeBson(content, key, collection);
      } catch (error) {
        if (error instanceof DumpError) error.message = `${error.message} (in ${path}, at byte ${error.offset} of that file)`;
        if (error instanceof DumpError) error.offset += at + BLOCK;
        throw error;
      }
    }
  }
  return { format: "mongo-tar", header: null, collections: [...collections.values()] };
}
