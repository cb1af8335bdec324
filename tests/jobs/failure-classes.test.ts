/**
 * Every failure class of the issue gets its own reason code, a clear
 * sentence and a non-zero exit — against real sshd, gpg and database servers.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { freePort, makeTempDir, removeDir } from "@/tests/support/servers/process";
import { cutAtLastStatement, flipByte, gzipFile, SampleFactory, truncateBytes, type SampleTable } from "@/tests/support/servers/samples";
import { generateSshKey, startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { describeFailure, expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

const TABLES: SampleTable[] = [
  { name: "accounts", rows: 7 },
  { name: "ledger", rows: 40 },
];

let work: string;
let sshd: SshdServer;
let key: GpgKey;
let otherKey: GpgKey;
let samples: SampleFactory;
let caseNumber = 0;

beforeAll(async () => {
  work = await makeTempDir("rdj-fail");
  [sshd, key, otherKey, samples] = await Promise.all([
    startSshd(),
    createGpgKey(work, "right"),
    createGpgKey(work, "wrong"),
    SampleFactory.create(path.join(work, "samples")),
  ]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), key && disposeGpgKey(key), otherKey && disposeGpgKey(otherKey), samples?.stop()]);
  await removeDir(work);
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(work, name);
  await fs.writeFile(p, content);
  return p;
}

interface Attempt {
  code: number;
  reason: string | undefined;
  sentence: string;
  stderr: string;
}

/** decrypt alone (it needs no sandbox), then destroy; proves nothing is left. */
async function decrypt(env: Record<string, string>): Promise<Attempt> {
  const id = ++caseNumber;
  const runDir = path.join(work, `run-d${id}`);
  const reportDir = path.join(work, `report-d${id}`);
  const base = {
    RUN_DIR: runDir,
    REPORT_DIR: reportDir,
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_CREDENTIAL_ID: "backup-ssh",
    SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
    SSH_USER: sshd.user,
    GPG_CREDENTIAL_ID: "",
  };
  const result = await runStage("decrypt", { ...base, ...env });
  const record = await readStageRecord(reportDir, "decrypt");
  await fs.stat(path.join(runDir, "backup/payload")).then(
    () => Promise.reject(new Error("a failed decrypt left plaintext behind")),
    () => undefined,
  );
  expect((await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir })).code).toBe(0);
  await expectNothingLeft(runDir);
  expect(record.reasonCode).toBe(result.reason);
  return { code: result.code, reason: result.reason, sentence: record.reason, stderr: result.stderr };
}

describe("decrypt refuses what it cannot fetch or decrypt", () => {
  it("should report an unreachable host", async () => {
    const r = await decrypt({ BACKUP_PORT: String(await freePort()), BACKUP_PATH: "/etc/hostname" });
    expect(r).toMatchObject({ code: 2, reason: "HOST_UNREACHABLE" });
    expect(r.sentence).toMatch(/unreachable/);
  });

  it("should report refused SSH authentication", async () => {
    const stranger = await generateSshKey(work, "stranger");
    const r = await decrypt({ SSH_KEY_FILE: stranger.privateKeyPath, BACKUP_PATH: "/etc/hostname" });
    expect(r).toMatchObject({ code: 2, reason: "SSH_AUTH_REFUSED" });
  });

  it("should refuse a host key that does not match the expected one", async () => {
    const impostor = await generateSshKey(work, "impostor-host");
    const r = await decrypt({ BACKUP_HOST_KEY: impostor.publicKey.split(" ").slice(0, 2).join(" "), BACKUP_PATH: "/etc/hostname" });
    expect(r).toMatchObject({ code: 2, reason: "HOST_KEY_MISMATCH" });
  });

  it("should say No such file for a missing backup", async () => {
    const r = await decrypt({ BACKUP_PATH: path.join(work, "does-not-exist.sql.gz") });
    expect(r).toMatchObject({ code: 1, reason: "FILE_MISSING" });
    expect(r.sentence).toContain("No such file");
  });

  it("should report an empty file", async () => {
    const r = await decrypt({ BACKUP_PATH: await file("empty.sql", "") });
    expect(r).toMatchObject({ code: 1, reason: "FILE_EMPTY" });
  });

  it("should report a truncated gzip stream", async () => {
    const dump = await samples.make("mysqldump", TABLES);
    await gzipFile(dump, `${dump}.gz`);
    const size = (await fs.stat(`${dump}.gz`)).size;
    await truncateBytes(`${dump}.gz`, Math.floor(size / 2));
    const r = await decrypt({ BACKUP_PATH: `${dump}.gz` });
    expect(r).toMatchObject({ code: 1, reason: "GZIP_CORRUPT" });
  });

  it("should report a backup encrypted for another key", async () => {
    const plain = await file("for-other.sql", "-- MySQL dump\n");
    await gpgEncrypt(otherKey, plain, `${plain}.gpg`);
    const r = await decrypt({ BACKUP_PATH: `${plain}.gpg`, GPG_CREDENTIAL_ID: "backup-gpg", GPG_KEY_FILE: key.secretKeyPath });
    expect(r).toMatchObject({ code: 1, reason: "GPG_KEY_MISSING" });
    expect(r.sentence).toMatch(/does not hold/);
  });

  it("should report a GPG credential that holds no usable key", async () => {
    const plain = await file("for-right.sql", "-- MySQL dump\n");
    await gpgEncrypt(key, plain, `${plain}.gpg`);
    const junk = await file("junk-key.asc", "this is not a key\n");
    const r = await decrypt({ BACKUP_PATH: `${plain}.gpg`, GPG_CREDENTIAL_ID: "backup-gpg", GPG_KEY_FILE: junk });
    expect(r).toMatchObject({ code: 1, reason: "GPG_KEY_MISSING" });
  });

  it("should report corrupted ciphertext (integrity check)", async () => {
    const dump = await samples.make("mysqldump", TABLES);
    await gpgEncrypt(key, dump, `${dump}.gpg`);
    await flipByte(`${dump}.gpg`, 30);
    const r = await decrypt({ BACKUP_PATH: `${dump}.gpg`, GPG_CREDENTIAL_ID: "backup-gpg", GPG_KEY_FILE: key.secretKeyPath });
    expect(r).toMatchObject({ code: 1, reason: "GPG_CIPHERTEXT_CORRUPT" });
  });

  it("should refuse a plain file when a key was given", async () => {
    const r = await decrypt({
      BACKUP_PATH: await file("plain.sql", "-- MySQL dump\n"),
      GPG_CREDENTIAL_ID: "backup-gpg",
      GPG_KEY_FILE: key.secretKeyPath,
    });
    expect(r).toMatchObject({ code: 1, reason: "NOT_ENCRYPTED_BUT_KEY_GIVEN" });
  });

  it("should refuse an encrypted file when no key was given", async () => {
    const plain = await file("secret.sql", "-- MySQL dump\n");
    await gpgEncrypt(key, plain, `${plain}.asc`, { armor: true });
    const r = await decrypt({ BACKUP_PATH: `${plain}.asc` });
    expect(r).toMatchObject({ code: 1, reason: "ENCRYPTED_WITHOUT_KEY" });
  });
});

describe("deploy reports a sandbox that cannot start as could-not-verify", () => {
  it.each([
    ["mysql", { RD_MARIADB_SERVER: "/bin/false" }, "SANDBOX_START_FAILED"],
    ["postgresql", { RD_PG_BINDIR: "/nonexistent/bin" }, "ENGINE_MISSING"],
  ])("should refuse %s with %j", async (dbType, env, reason) => {
    const runDir = path.join(work, `run-deploy-${dbType}`);
    const reportDir = path.join(work, `report-deploy-${dbType}`);
    const result = await runStage("deploy", { RUN_DIR: runDir, REPORT_DIR: reportDir, DB_TYPE: dbType, ...env });
    expect(result).toMatchObject({ code: 2, reason });
    expect((await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir })).code).toBe(0);
    expect((await runStage("report", { REPORT_DIR: reportDir })).code).toBe(0);
    expect(await readReport(reportDir)).toMatchObject({ verdict: "could-not-verify", failedStage: "deploy", reasonCode: reason });
    await expectNothingLeft(runDir);
  });
});

describe("restore refuses broken dumps", () => {
  // One sandbox per engine, shared: these tests are about the dump, not the server.
  const sandboxes: Record<string, { runDir: string; reportDir: string }> = {};

  beforeAll(async () => {
    for (const dbType of ["mysql", "postgresql", "sqlite"]) {
      const runDir = path.join(work, `run-shared-${dbType}`);
      const reportDir = path.join(work, `report-shared-${dbType}`);
      const result = await runStage("deploy", { RUN_DIR: runDir, REPORT_DIR: reportDir, DB_TYPE: dbType });
      if (result.code !== 0) throw new Error(`deploy ${dbType} failed: ${describeFailure(result)}`);
      sandboxes[dbType] = { runDir, reportDir };
    }
  });

  afterAll(async () => {
    for (const { runDir, reportDir } of Object.values(sandboxes)) {
      expect((await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir })).code).toBe(0);
      await expectNothingLeft(runDir);
    }
  });

  async function restore(dbType: string, payload: string, declaredType = dbType): Promise<Attempt> {
    const sandbox = sandboxes[dbType];
    if (!sandbox) throw new Error(`no sandbox for ${dbType}`);
    // decrypt verifies the file, then restore streams it from the backup host into the sandbox.
    const env = {
      RUN_DIR: sandbox.runDir,
      REPORT_DIR: sandbox.reportDir,
      DB_TYPE: declaredType,
      BACKUP_HOST: sshd.host,
      BACKUP_PORT: String(sshd.port),
      BACKUP_PATH: payload,
      BACKUP_HOST_KEY: sshd.hostPublicKey,
      SSH_CREDENTIAL_ID: "backup-ssh",
      SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
      SSH_USER: sshd.user,
      GPG_CREDENTIAL_ID: "",
    };
    const verified = await runStage("decrypt", env);
    if (verified.code !== 0) throw new Error(`decrypt failed: ${describeFailure(verified)}`);
    const result = await runStage("restore", env);
    const record = await readStageRecord(sandbox.reportDir, "restore");
    return { code: result.code, reason: result.reason, sentence: record.reason, stderr: result.stderr };
  }

  it("should pass a good dump in the shared sandbox (control)", async () => {
    const r = await restore("mysql", await samples.make("mysqldump", TABLES));
    expect(r.code).toBe(0);
  });

  it.each([
    ["mysql", "mysqldump", /^INSERT INTO/],
    ["postgresql", "pg-plain", /^(COPY|\\\.$)/],
    ["sqlite", "sqlite-dump", /^INSERT INTO/],
  ] as const)("should refuse a %s dump cut at a statement boundary", async (dbType, format, lastStatement) => {
    const dump = await samples.make(format, TABLES);
    await cutAtLastStatement(dump, `${dump}.cut`, lastStatement);
    const r = await restore(dbType, `${dump}.cut`);
    expect(r).toMatchObject({ code: 1, reason: "DUMP_TRUNCATED" });
  });

  it("should refuse a truncated PostgreSQL custom archive", async () => {
    const dump = await samples.make("pg-custom", [{ name: "big", rows: 3000 }]);
    await truncateBytes(dump, Math.floor((await fs.stat(dump)).size * 0.7));
    const r = await restore("postgresql", dump);
    expect(r).toMatchObject({ code: 1, reason: "DUMP_TRUNCATED" });
  });

  it("should refuse a truncated SQLite database file", async () => {
    const db = await samples.make("sqlite-db", [{ name: "big", rows: 3000 }]);
    await truncateBytes(db, Math.floor((await fs.stat(db)).size / 2));
    const r = await restore("sqlite", db);
    expect(r).toMatchObject({ code: 1, reason: "DUMP_TRUNCATED" });
  });

  it.each([
    ["mysql", "mysqldump"],
    ["postgresql", "pg-plain"],
  ] as const)("should name the failing line of a %s SQL error", async (dbType, format) => {
    const dump = await samples.make(format, TABLES);
    const lines = (await fs.readFile(dump, "utf8")).split("\n");
    const at = lines.findIndex((l) => l.startsWith("CREATE TABLE"));
    lines.splice(at, 0, "INSERT INTO no_such_table VALUES (1);");
    await fs.writeFile(`${dump}.bad`, lines.join("\n"));
    const r = await restore(dbType, `${dump}.bad`);
    expect(r).toMatchObject({ code: 1, reason: "IMPORT_SQL_ERROR" });
    expect(r.sentence).toContain(`line ${at + 1}`);
  });

  it.each([
    ["mysql", "mysqldump"],
    ["postgresql", "pg-plain"],
    ["sqlite", "sqlite-dump"],
  ] as const)("should refuse a %s backup with zero tables", async (dbType, format) => {
    const r = await restore(dbType, await samples.make(format, []));
    expect(r).toMatchObject({ code: 1, reason: "ZERO_TABLES" });
  });

  it("should refuse a file whose type does not match DB_TYPE", async () => {
    const r = await restore("mysql", await samples.make("pg-plain", TABLES));
    expect(r).toMatchObject({ code: 1, reason: "DB_TYPE_MISMATCH" });
    expect(r.sentence).toMatch(/database type is mysql but the backup is a PostgreSQL/);
  });

  it("should record failed/restore in the report", async () => {
    await restore("sqlite", await samples.make("sqlite-dump", []));
    const reportDir = sandboxes.sqlite?.reportDir as string;
    expect((await runStage("report", { REPORT_DIR: reportDir })).code).toBe(0);
    expect(await readReport(reportDir)).toMatchObject({ verdict: "failed", failedStage: "restore", reasonCode: "ZERO_TABLES" });
  });
});
