/**
 * Issue 14 item 4: decrypt records which tool and version made the dump
 * ("$REPORT_DIR/dump-version.json", contract C2) and a dump newer than the
 * sandbox engine ends could-not-verify ENGINE_VERSION_MISMATCH — never
 * DUMP_TRUNCATED. Real sshd, real pg_dump/pg_restore/PostgreSQL, the real scripts.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { SampleFactory, type SampleFormat, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { craftCustomArchive } from "@/tests/support/servers/pg-archive";
import { describeFailure, expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

const TABLES: SampleTable[] = [{ name: "orders", rows: 12 }];

let work: string;
let sshd: SshdServer;
let samples: SampleFactory;
let n = 0;

beforeAll(async () => {
  work = await makeTempDir("rdj-engver");
  [sshd, samples] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples"))]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), samples?.stop()]);
  await removeDir(work);
});

function env(runDir: string, reportDir: string, backupPath: string, dbType: string): Record<string, string> {
  return {
    RUN_DIR: runDir,
    REPORT_DIR: reportDir,
    DB_TYPE: dbType,
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_PATH: backupPath,
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_CREDENTIAL_ID: "backup-ssh",
    SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
    SSH_USER: sshd.user,
    GPG_CREDENTIAL_ID: "",
  };
}

interface DumpVersion {
  engine: string | null;
  tool: string | null;
  toolVersion: string | null;
  major: string | null;
  archiveVersion: string | null;
}

async function probe(backupPath: string, dbType: string): Promise<DumpVersion> {
  const id = ++n;
  const runDir = path.join(work, `run-p${id}`);
  const reportDir = path.join(work, `report-p${id}`);
  const result = await runStage("decrypt", env(runDir, reportDir, backupPath, dbType));
  if (result.code !== 0) throw new Error(`decrypt failed: ${describeFailure(result)}`);
  const file = JSON.parse(await fs.readFile(path.join(reportDir, "dump-version.json"), "utf8")) as DumpVersion;
  expect((await readStageRecord(reportDir, "decrypt")).facts.dumpVersion).toEqual(file);
  await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir });
  return file;
}

describe("decrypt records the tool and version that made the dump", () => {
  it.each([
    ["pg-custom", "postgresql", { engine: "postgresql", tool: "pg_dump", archiveVersion: expect.stringMatching(/^1\.1[0-9]$/) }],
    ["pg-plain", "postgresql", { engine: "postgresql", tool: "pg_dump", archiveVersion: null }],
    ["mysqldump", "mysql", { engine: expect.stringMatching(/^(mariadb|mysql)$/), tool: expect.stringMatching(/dump$/) }],
    ["sqlite-db", "sqlite", { engine: "sqlite", tool: "sqlite3", major: "3" }],
    ["sqlite-dump", "sqlite", { engine: "sqlite", tool: "sqlite3", toolVersion: null, major: null }],
  ] as const)("should read %s", async (format, dbType, expected) => {
    const version = await probe(await samples.make(format as SampleFormat, TABLES), dbType);
    expect(version).toMatchObject(expected);
    if (format !== "sqlite-dump") {
      expect(version.toolVersion).toMatch(/^\d+(\.\d+)+$/);
      expect(version.major).toBe(version.toolVersion!.split(".")[0]);
    }
  });

  it("should read the pg_dump version written in a custom archive's header", async () => {
    const dump = await samples.make("pg-custom", TABLES);
    await craftCustomArchive(dump, `${dump}.v17`, 16, "17.2");
    expect(await probe(`${dump}.v17`, "postgresql")).toEqual({
      engine: "postgresql",
      tool: "pg_dump",
      toolVersion: "17.2",
      major: "17",
      archiveVersion: "1.16",
    });
  });
});

describe("a dump newer than the sandbox engine is could-not-verify ENGINE_VERSION_MISMATCH", () => {
  async function pipeline(backupPath: string): Promise<{ reason: string | undefined; sentence: string; verdict: string }> {
    const id = ++n;
    const runDir = path.join(work, `run-m${id}`);
    const reportDir = path.join(work, `report-m${id}`);
    const e = env(runDir, reportDir, backupPath, "postgresql");
    const decrypted = await runStage("decrypt", e);
    expect(decrypted.code).toBe(0);
    const deployed = await runStage("deploy", e);
    if (deployed.code !== 0) throw new Error(`deploy failed: ${describeFailure(deployed)}`);
    const restored = await runStage("restore", e);
    expect(restored.code).toBe(2);
    expect((await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir })).code).toBe(0);
    expect((await runStage("report", { REPORT_DIR: reportDir })).code).toBe(0);
    const report = await readReport(reportDir);
    await expectNothingLeft(runDir);
    expect(report.sandbox.version).toMatch(/^\d+/);
    return { reason: restored.reason, sentence: report.reason, verdict: report.verdict };
  }

  it("should name pg_dump 17 and the sandbox's PostgreSQL for a crafted 1.16 archive", async () => {
    const dump = await samples.make("pg-custom", TABLES);
    await craftCustomArchive(dump, `${dump}.v17`, 16, "17.2");
    const r = await pipeline(`${dump}.v17`);
    expect(r).toMatchObject({ reason: "ENGINE_VERSION_MISMATCH", verdict: "could-not-verify" });
    expect(r.sentence).toMatch(/made by pg_dump 17\.2 \(archive format 1\.16\); this sandbox runs PostgreSQL \d+/);
  });

  it("should judge the archive version alone when the header names no pg_dump version", async () => {
    const dump = await samples.make("pg-custom", TABLES);
    await craftCustomArchive(dump, `${dump}.k99`, 99, null);
    const r = await pipeline(`${dump}.k99`);
    expect(r).toMatchObject({ reason: "ENGINE_VERSION_MISMATCH", verdict: "could-not-verify" });
    expect(r.sentence).toMatch(/archive format 1\.99.*reads archives up to 1\.1\d/);
  });

  it("should refuse a plain dump that says pg_dump 17", async () => {
    const dump = await samples.make("pg-plain", TABLES);
    const text = await fs.readFile(dump, "utf8");
    expect(text).toMatch(/-- Dumped by pg_dump version \d+/);
    await fs.writeFile(`${dump}.v17`, text.replace(/-- Dumped by pg_dump version [0-9.]+/, "-- Dumped by pg_dump version 17.2"));
    const r = await pipeline(`${dump}.v17`);
    expect(r).toMatchObject({ reason: "ENGINE_VERSION_MISMATCH", verdict: "could-not-verify" });
    expect(r.sentence).toMatch(/made by pg_dump 17\.2; this sandbox runs PostgreSQL \d+/);
  });
});
