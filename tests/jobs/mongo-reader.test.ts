/**
 * Issue 15 item 3: the offline MongoDB dump reader (scripts/mongo-read-dump.mjs) on dumps written
 * here in mongodump's documented formats — every document decoded and counted; cut and
 * corrupted dumps refused with DUMP_TRUNCATED / DUMP_CORRUPT, the collection and the byte offset.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { mongoArchive, mongoDumpDirectory, type MongoCollection } from "@/tests/support/mongo/dump-writer";
import { REPO_ROOT } from "./helpers/stages";

const exec = promisify(execFile);
jest.setTimeout(60_000);

const big = "x".repeat(3 * 1024 * 1024); // a 3 MiB document: larger than any read buffer
const COLLECTIONS: MongoCollection[] = [
  {
    db: "shop",
    name: "orders",
    documents: Array.from({ length: 250 }, (_, i) => ({ _id: i, total: i * 1.5, lines: [{ sku: `s${i}`, qty: i % 7 }], at: new Date(0) })),
    indexes: [{ key: { at: -1 }, name: "at_-1" }],
  },
  {
    db: "shop",
    name: "blobs",
    documents: [
      { _id: "a", body: big },
      { _id: "b", body: big.slice(1), nested: { deep: { deeper: [1, 2, 3] } } },
    ],
  },
  { db: "crm", name: "people", documents: Array.from({ length: 40 }, (_, i) => ({ _id: `p${i}`, name: `Person ${i}` })) },
  { db: "crm", name: "empty", documents: [] },
];

interface ReadResult {
  format?: string;
  header?: { version: string | null; serverVersion: string | null; toolVersion: string | null } | null;
  collections?: { db: string; name: string; documents: number; bytes: number; indexes: number | null }[];
  totalDocuments?: number;
  error?: { code: string; message: string; collection: string | null; offset: number };
}

let work: string;
beforeAll(async () => {
  work = await makeTempDir("rdj-mongo");
});
afterAll(() => removeDir(work));

async function read(file: string): Promise<{ code: number; out: ReadResult }> {
  try {
    const { stdout } = await exec("node", [path.join(REPO_ROOT, "scripts/mongo-read-dump.mjs"), file]);
    return { code: 0, out: JSON.parse(stdout) as ReadResult };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (e.code !== 1) throw new Error(`reader crashed (exit ${e.code}): ${e.stderr}`);
    return { code: 1, out: JSON.parse(e.stdout) as ReadResult };
  }
}

async function write(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(work, name);
  await fs.writeFile(file, bytes);
  return file;
}

function counts(out: ReadResult): Record<string, number> {
  return Object.fromEntries((out.collections ?? []).map((c) => [`${c.db}.${c.name}`, c.documents]));
}
const EXPECTED = { "shop.orders": 250, "shop.blobs": 2, "crm.people": 40, "crm.empty": 0 };

describe("a whole dump is read offline", () => {
  it("should count every document of every collection in an archive", async () => {
    const { code, out } = await read(await write("all.archive", mongoArchive(COLLECTIONS)));
    expect(code).toBe(0);
    expect(out.format).toBe("mongo-archive");
    expect(counts(out)).toEqual(EXPECTED);
    expect(out.totalDocuments).toBe(292);
    expect(out.header).toEqual({ version: "0.1", serverVersion: "7.0.14", toolVersion: "100.10.0" });
    expect(out.collections?.find((c) => c.name === "orders")?.indexes).toBe(2);
    expect(out.collections?.find((c) => c.name === "blobs")?.bytes).toBeGreaterThan(6 * 1024 * 1024);
  });

  it("should read a --gzip archive", async () => {
    const { code, out } = await read(await write("all.archive.gz", gzipSync(mongoArchive(COLLECTIONS, 50))));
    expect(code).toBe(0);
    expect(counts(out)).toEqual(EXPECTED);
  });

  it.each([
    ["tar", "cf"],
    ["tar.gz", "czf"],
  ])("should read a dump directory packed as %s", async (ext, flags) => {
    const dir = path.join(work, `dir-${ext}`);
    await mongoDumpDirectory(dir, COLLECTIONS);
    const file = path.join(work, `dump.${ext}`);
    await exec("tar", [`-${flags}`, file, "-C", dir, "dump"]);
    const { code, out } = await read(file);
    expect(code).toBe(0);
    expect(out.format).toBe("mongo-tar");
    expect(counts(out)).toEqual(EXPECTED);
    expect(out.collections?.find((c) => c.name === "orders")?.indexes).toBe(2);
  });
});

describe("a broken dump is refused with the collection and the offset", () => {
  const archive = mongoArchive(COLLECTIONS);

  it("should call an archive cut inside a document DUMP_TRUNCATED", async () => {
    const cutAt = archive.indexOf(Buffer.from("Person 20")) + 3;
    const { code, out } = await read(await write("cut.archive", archive.subarray(0, cutAt)));
    expect(code).toBe(1);
    expect(out.error).toMatchObject({ code: "DUMP_TRUNCATED", collection: "crm.people" });
    expect(out.error!.offset).toBeLessThan(cutAt);
    expect(out.error!.offset).toBeGreaterThan(cutAt - 100);
  });

  it("should call an archive cut between segments DUMP_TRUNCATED, naming the unfinished collections", async () => {
    const firstEof = archive.indexOf(Buffer.from("EOF\0\x01"));
    const cutAt = archive.lastIndexOf(Buffer.from([0xff, 0xff, 0xff, 0xff]), firstEof) + 4;
    const { code, out } = await read(await write("cut-boundary.archive", archive.subarray(0, cutAt)));
    expect(code).toBe(1);
    expect(out.error?.code).toBe("DUMP_TRUNCATED");
    expect(out.error?.message).toContain("shop.orders");
    expect(out.error?.offset).toBe(cutAt);
  });

  it("should catch a flipped byte inside a document by the collection's CRC-64 (DUMP_CORRUPT)", async () => {
    const bad = Buffer.from(archive);
    const at = bad.indexOf(Buffer.from("Person 33"));
    bad[at + 7] = bad[at + 7]! ^ 0x01;
    const { code, out } = await read(await write("flipped.archive", bad));
    expect(code).toBe(1);
    expect(out.error).toMatchObject({ code: "DUMP_CORRUPT", collection: "crm.people" });
    expect(out.error?.message).toMatch(/CRC-64/);
  });

  it("should refuse a flipped byte in a document's length as DUMP_CORRUPT at that offset", async () => {
    const bad = Buffer.from(archive);
    const at = bad.indexOf(Buffer.from("_id\0")) - 5; // the int32 length of the first orders document
    bad[at + 3] = 0x7f;
    const { code, out } = await read(await write("flipped-size.archive", bad));
    expect(code).toBe(1);
    expect(out.error).toMatchObject({ code: "DUMP_CORRUPT", collection: "shop.orders", offset: at });
  });

  it("should refuse a cut tar and a cut gzip as DUMP_TRUNCATED", async () => {
    const dir = path.join(work, "dir-cut");
    await mongoDumpDirectory(dir, COLLECTIONS);
    const tarFile = path.join(work, "whole.tar");
    await exec("tar", ["-cf", tarFile, "-C", dir, "dump"]);
    const tar = await fs.readFile(tarFile);
    const cut = await read(await write("cut.tar", tar.subarray(0, Math.floor(tar.length * 0.6))));
    expect(cut.code).toBe(1);
    expect(cut.out.error?.code).toBe("DUMP_TRUNCATED");
    const gz = gzipSync(archive);
    const cutGz = await read(await write("cut.archive.gz", gz.subarray(0, Math.floor(gz.length * 0.5))));
    expect(cutGz.out.error?.code).toBe("DUMP_TRUNCATED");
  });

  it("should refuse a file that is no MongoDB dump", async () => {
    const { code, out } = await read(await write("not.sql", Buffer.from("-- MySQL dump 10.13\n")));
    expect(code).toBe(1);
    expect(out.error).toMatchObject({ code: "DUMP_CORRUPT", offset: 0 });
  });
});
