/**
 * Writes MongoDB dumps the way mongodump does, for tests (no MongoDB server exists here):
 * `--archive` in mongo-tools' documented format (magic 0x8199e26d, header, collection
 * metadata, terminator, interleaved namespace segments, EOF headers carrying the CRC-64)
 * and an output directory (<db>/<coll>.bson + .metadata.json) to be packed with tar.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { Long, serialize, type Document } from "bson";

export interface MongoCollection {
  db: string;
  name: string;
  documents: Document[];
  indexes?: { key: Document; name: string }[];
}

const TERMINATOR = Buffer.from([0xff, 0xff, 0xff, 0xff]);
const MAGIC = Buffer.from([0x6d, 0xe2, 0x99, 0x81]);

// CRC-64 as Go's hash/crc64 with the ECMA table (reflected 0xC96C5795D7870F42, inverted), in BigInt:
// a second, independent implementation of what the reader computes.
const POLY = 0xc96c5795d7870f42n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = BigInt(i);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  return c;
});
export function crc64(chunks: Buffer[]): bigint {
  let crc = 0xffffffffffffffffn;
  for (const chunk of chunks) for (const b of chunk) crc = TABLE[Number((crc ^ BigInt(b)) & 0xffn)]! ^ (crc >> 8n);
  return crc ^ 0xffffffffffffffffn;
}

function metadata(c: MongoCollection): string {
  const indexes = [{ v: 2, key: { _id: 1 }, name: "_id_" }, ...(c.indexes ?? []).map((i) => ({ v: 2, ...i }))];
  return JSON.stringify({ indexes, uuid: "", collectionName: c.name, type: "collection" });
}

/** The archive bytes; documents are split into segments of `segment` documents, interleaved across collections. */
export function mongoArchive(collections: MongoCollection[], segment = 3): Buffer {
  const parts: Buffer[] = [MAGIC];
  parts.push(Buffer.from(serialize({ concurrent_collections: 4, version: "0.1", server_version: "7.0.14", tool_version: "100.10.0" })));
  for (const c of collections) {
    const size = c.documents.reduce((n, d) => n + serialize(d).length, 0);
    parts.push(Buffer.from(serialize({ db: c.db, collection: c.name, metadata: metadata(c), size })));
  }
  parts.push(TERMINATOR);
  const encoded = collections.map((c) => c.documents.map((d) => Buffer.from(serialize(d))));
  const maxSegments = Math.max(...encoded.map((docs) => Math.ceil(docs.length / segment)), 0);
  for (let s = 0; s < maxSegments; s++) {
    collections.forEach((c, i) => {
      const docs = encoded[i]!.slice(s * segment, (s + 1) * segment);
      if (!docs.length) return;
      parts.push(Buffer.from(serialize({ db: c.db, collection: c.name, EOF: false, CRC: Long.fromInt(0) })), ...docs, TERMINATOR);
    });
  }
  collections.forEach((c, i) => {
    const crc = Long.fromBigInt(BigInt.asIntN(64, crc64(encoded[i]!)));
    parts.push(Buffer.from(serialize({ db: c.db, collection: c.name, EOF: true, CRC: crc })), TERMINATOR);
  });
  return Buffer.concat(parts);
}

/** A mongodump output directory under `dir` (dump/<db>/<coll>.bson + .metadata.json). */
export async function mongoDumpDirectory(dir: string, collections: MongoCollection[]): Promise<string> {
  const root = path.join(dir, "dump");
  for (const c of collections) {
    await fs.mkdir(path.join(root, c.db), { recursive: true });
    await fs.writeFile(path.join(root, c.db, `${c.name}.bson`), Buffer.concat(c.documents.map((d) => Buffer.from(serialize(d)))));
    await fs.writeFile(path.join(root, c.db, `${c.name}.metadata.json`), metadata(c));
  }
  return root;
}
