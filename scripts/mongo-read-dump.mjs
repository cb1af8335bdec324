#!/usr/bin/env node
// Reads a whole MongoDB dump offline (issue 15 item 3), before any restore: every document of
// every collection is decoded with the bson library and counted. Accepts a mongodump
// --archive (plain or --gzip) or a mongodump output directory packed as tar(.gz).
//
// Usage: node scripts/mongo-read-dump.mjs < dump        (also: mongo-read-dump.mjs FILE)
// Output (stdout, one JSON line): {format, header: {version, serverVersion, toolVersion} | null,
//   collections: [{db, name, documents, bytes, indexes}], totalDocuments, bytesRead}
// Exit 0: read whole; exit 1: {error: {code: DUMP_TRUNCATED | DUMP_CORRUPT, message,
//   collection ("db.coll" or null), offset (byte offset in the decompressed dump)}}.
// Needs: node >= 20 and the bson package (the repository's node_modules).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

import { ARCHIVE_MAGIC, readArchive } from "./mongo/archive.mjs";
import { ByteReader, DumpError } from "./mongo/byte-reader.mjs";
import { looksLikeTar, readTar } from "./mongo/tar.mjs";

async function readDump(input) {
  let reader = new ByteReader(input);
  let head = await reader.peek(512);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // mongodump --archive --gzip gzips the whole archive; so does tar -z.
    const first = await reader.read(reader.buffered);
    const rest = reader.iterator;
    const gunzip = Readable.from(
      (async function* () {
        yield first;
        for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
      })(),
      { objectMode: false },
    ).pipe(createGunzip());
    reader = new ByteReader(gunzip);
    try {
      head = await reader.peek(512);
    } catch (error) {
      throw new DumpError("DUMP_CORRUPT", `the gzip stream is corrupt: ${error.message}`, null, 0);
    }
  }
  let result;
  try {
    if (head.subarray(0, 4).equals(ARCHIVE_MAGIC)) result = await readArchive(reader);
    else if (looksLikeTar(head)) result = await readTar(reader);
    else throw new DumpError("DUMP_CORRUPT", "neither a mongodump archive (magic 0x8199e26d) nor a tar of a dump directory", null, 0);
  } catch (error) {
    if (error instanceof DumpError) throw error;
    const code = /unexpected end|truncated/i.test(error.message) ? "DUMP_TRUNCATED" : "DUMP_CORRUPT";
    throw new DumpError(code, `the compressed stream broke: ${error.message}`, null, reader.offset);
  }
  const totalDocuments = result.collections.reduce((n, c) => n + c.documents, 0);
  return { ...result, totalDocuments, bytesRead: reader.offset };
}

const input = process.argv[2] ? createReadStream(process.argv[2]) : process.stdin;
readDump(input).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    if (!(error instanceof DumpError)) {
      process.stderr.write(`mongo-read-dump: ${error.stack ?? error}\n`);
      process.exit(2);
    }
    const { code, message, collection, offset } = error;
    process.stdout.write(`${JSON.stringify({ error: { code, message, collection, offset } })}\n`);
    process.exit(1);
  },
);
