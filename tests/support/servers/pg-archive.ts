// A pg_dump custom archive "made by" a newer pg_dump, for ENGINE_VERSION_MISMATCH tests: no pg_dump 17
// exists here, so the header of a real archive from the installed pg_dump is rewritten
// (pg_backup_archiver.c ReadHead's layout).
import { promises as fs } from "node:fs";

/**
 * Rewrites a custom archive's header as a newer pg_dump would write it: the K_VERS minor byte, the
 * compression field as the one byte K_VERS >= 1.15 uses, and the pg_dump version string (null = a NULL string).
 */
export async function craftCustomArchive(source: string, out: string, vmin: number, dumpVersion: string | null): Promise<void> {
  const buf = await fs.readFile(source);
  if (buf.subarray(0, 5).toString("latin1") !== "PGDMP") throw new Error(`${source} is not a pg_dump custom archive`);
  const intSize = buf[8]!;
  const readInt = (at: number): number => {
    let v = 0;
    for (let i = intSize - 1; i >= 0; i--) v = v * 256 + buf[at + 1 + i]!;
    return buf[at] ? -v : v;
  };
  const oldByteCompression = buf[6]! >= 15;
  const afterCompression = 11 + (oldByteCompression ? 1 : 1 + intSize);
  const compressed = oldByteCompression ? buf[11]! !== 0 : readInt(11) !== 0;
  let p = afterCompression + 7 * (1 + intSize);
  for (let s = 0; s < 2; s++) p += 1 + intSize + Math.max(0, readInt(p));
  const oldLength = Math.max(0, readInt(p));
  const head = Buffer.from(buf.subarray(0, 11));
  head[6] = vmin;
  const str = Buffer.alloc(1 + intSize);
  if (dumpVersion === null) {
    str[0] = 1; // sign byte: -1, a NULL string
    str[1] = 1;
  } else {
    str.writeUIntLE(dumpVersion.length, 1, Math.min(intSize, 6));
  }
  await fs.writeFile(
    out,
    Buffer.concat([
      head,
      Buffer.from([compressed ? 1 : 0]),
      buf.subarray(afterCompression, p),
      str,
      Buffer.from(dumpVersion ?? "", "latin1"),
      buf.subarray(p + 1 + intSize + oldLength),
    ]),
  );
}
