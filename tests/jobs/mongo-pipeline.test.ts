/**
 * Issue 15 item 3 through the real stage scripts (real sshd, the bson reader, no MongoDB server
 * here): a MongoDB dump is read whole by decrypt, then the local provider — which has no MongoDB
 * server — ends could-not-verify ENGINE_MISSING with the counts found, never green. A cut or
 * corrupted dump fails at decrypt with DUMP_TRUNCATED / DUMP_CORRUPT, the collection and the offset.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { mongoArchive, mongoDumpDirectory, type MongoCollection } from "@/tests/support/mongo/dump-writer";
import { expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

const exec = promisify(execFile);
jest.setTimeout(120_000);

const COLLECTIONS: MongoCollection[] = [
  { db: "shop", name: "orders", documents: Array.from({ length: 120 }, (_, i) => ({ _id: i, total: i / 4 })) },
  { db: "shop", name: "customers", documents: Array.from({ length: 9 }, (_, i) => ({ _id: `c${i}`, blob: "y".repeat(200_000) })) },
];

let work: string;
let sshd: SshdServer;
let n = 0;

beforeAll(async () => {
  work = await makeTempDir("rdj-mongo-pipe");
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
  await removeDir(work);
});

/** decrypt → deploy (if decrypt passed) → destroy → report, as the C1 pipeline order runs them. */
async function pipeline(file: string) {
  const id = ++n;
  const runDir = path.join(work, `run-${id}`);
  const reportDir = path.join(work, `report-${id}`);
  const env = {
    RUN_DIR: runDir,
    REPORT_DIR: reportDir,
    DB_TYPE: "mongodb",
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_PATH: file,
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_CREDENTIAL_ID: "backup-ssh",
    SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
    SSH_USER: sshd.user,
    GPG_CREDENTIAL_ID: "",
  };
  const decrypted = await runStage("decrypt", env);
  const deployed = decrypted.code === 0 ? await runStage("deploy", env) : null;
  expect((await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir })).code).toBe(0);
  expect((await runStage("report", { REPORT_DIR: reportDir })).code).toBe(0);
  await expectNothingLeft(runDir);
  return {
    decrypted,
    deployed,
    report: await readReport(reportDir),
    decryptRecord: await readStageRecord(reportDir, "decrypt"),
    reportDir,
  };
}

async function write(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(work, name);
  await fs.writeFile(file, bytes);
  return file;
}

describe("a MongoDB dump on an agent without a MongoDB server", () => {
  it.each([
    ["archive", () => write("shop.archive", mongoArchive(COLLECTIONS))],
    ["gzip archive", () => write("shop.archive.gz", gzipSync(mongoArchive(COLLECTIONS)))],
    [
      "tar.gz of a dump directory",
      async () => {
        const dir = path.join(work, "dumpdir");
        await mongoDumpDirectory(dir, COLLECTIONS);
        await exec("tar", ["-czf", path.join(work, "shop.tar.gz"), "-C", dir, "dump"]);
        return path.join(work, "shop.tar.gz");
      },
    ],
  ])("should read the whole %s, then end could-not-verify ENGINE_MISSING with the counts", async (_kind, make) => {
    const r = await pipeline(await make());
    expect(r.decrypted.code).toBe(0);
    expect(r.deployed).toMatchObject({ code: 2, reason: "ENGINE_MISSING" });
    expect(r.report).toMatchObject({ verdict: "could-not-verify", failedStage: "deploy", reasonCode: "ENGINE_MISSING" });
    expect(r.report.reason).toMatch(/2 collections and 129 documents/);
    // a tar holds the files in directory order: compare as a set
    expect([...r.report.tables].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { schema: "shop", name: "customers", rows: 9 },
      { schema: "shop", name: "orders", rows: 120 },
    ]);
    expect(r.report.totalRows).toBe(129);
    expect(r.decryptRecord.facts.offlineRead).toMatchObject({ reader: "bson", totalDocuments: 129 });
  });

  it("should record mongodump and the source server's major as the dump's version", async () => {
    const r = await pipeline(await write("versions.archive", mongoArchive(COLLECTIONS)));
    const version = JSON.parse(await fs.readFile(path.join(r.reportDir, "dump-version.json"), "utf8")) as unknown;
    expect(version).toEqual({ engine: "mongodb", tool: "mongodump", toolVersion: "100.10.0", major: "7", archiveVersion: "0.1" });
  });

  it("should fail a cut archive at decrypt with DUMP_TRUNCATED, the collection and the offset", async () => {
    const archive = mongoArchive(COLLECTIONS);
    const r = await pipeline(await write("cut.archive", archive.subarray(0, Math.floor(archive.length * 0.7))));
    expect(r.decrypted).toMatchObject({ code: 1, reason: "DUMP_TRUNCATED" });
    expect(r.report).toMatchObject({ verdict: "failed", failedStage: "decrypt", reasonCode: "DUMP_TRUNCATED" });
    expect(r.report.reason).toMatch(/collection shop\.customers, byte offset \d+/);
  });

  it("should fail an archive with a flipped byte at decrypt with DUMP_CORRUPT", async () => {
    const bad = mongoArchive(COLLECTIONS);
    const at = bad.indexOf(Buffer.from("total")) + 40;
    bad[at] = bad[at]! ^ 0x10;
    const r = await pipeline(await write("flipped.archive", bad));
    expect(r.decrypted).toMatchObject({ code: 1, reason: "DUMP_CORRUPT" });
    expect(r.report.reason).toMatch(/collection shop\.orders/);
  });
});
