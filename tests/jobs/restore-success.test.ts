/**
 * Happy paths through the real stage scripts: real sshd, gpg, MariaDB,
 * PostgreSQL and sqlite3, with sample backups of known shape.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { gzipFile, SampleFactory, type SampleFormat, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { runDrill } from "./helpers/drill";
import { describeFailure, expectNothingLeft } from "./helpers/stages";

jest.setTimeout(120_000);

const TABLES: SampleTable[] = [
  { name: "customers", rows: 12 },
  { name: "orders", rows: 31 },
  { name: "empty_audit", rows: 0 },
];

let work: string;
let sshd: SshdServer;
let gpgKey: GpgKey;
let samples: SampleFactory;

beforeAll(async () => {
  work = await makeTempDir("rdj-ok");
  [sshd, gpgKey, samples] = await Promise.all([
    startSshd(),
    createGpgKey(work, "backup"),
    SampleFactory.create(path.join(work, "samples")),
  ]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), gpgKey && disposeGpgKey(gpgKey), samples?.stop()]);
  await removeDir(work);
});

type Packing = "plain" | "gz" | "gpg" | "asc" | "gz.gpg";

async function backupFile(format: SampleFormat, packing: Packing, name: string): Promise<string> {
  let file = await samples.make(format, TABLES, name);
  if (packing === "gz" || packing === "gz.gpg") {
    await gzipFile(file, `${file}.gz`);
    file = `${file}.gz`;
  }
  if (packing === "gpg" || packing === "gz.gpg" || packing === "asc") {
    const out = `${file}.${packing === "asc" ? "asc" : "gpg"}`;
    await gpgEncrypt(gpgKey, file, out, { armor: packing === "asc" });
    file = out;
  }
  return file;
}

const cases: { id: string; dbType: string; format: SampleFormat; packing: Packing; engine: string; schema: string }[] = [
  { id: "mysql-plain", dbType: "mysql", format: "mysqldump", packing: "plain", engine: "mariadb", schema: "restore_drill" },
  { id: "mysql-gz-gpg", dbType: "mysql", format: "mysqldump", packing: "gz.gpg", engine: "mariadb", schema: "restore_drill" },
  { id: "pg-plain-gz", dbType: "postgresql", format: "pg-plain", packing: "gz", engine: "postgresql", schema: "public" },
  { id: "pg-custom-gpg", dbType: "postgresql", format: "pg-custom", packing: "gpg", engine: "postgresql", schema: "public" },
  { id: "pg-plain-asc", dbType: "postgresql", format: "pg-plain", packing: "asc", engine: "postgresql", schema: "public" },
  { id: "sqlite-db-gpg", dbType: "sqlite", format: "sqlite-db", packing: "gpg", engine: "sqlite", schema: "main" },
  { id: "sqlite-dump", dbType: "sqlite", format: "sqlite-dump", packing: "plain", engine: "sqlite", schema: "main" },
];

describe("a good backup passes every stage", () => {
  it.each(cases)("should restore $id and count every row", async ({ id, dbType, format, packing, engine, schema }) => {
    const backupPath = await backupFile(format, packing, `${id}.bin`);
    const encrypted = packing.includes("gpg") || packing === "asc";
    const drill = await runDrill({ workDir: work, id, sshd, backupPath, dbType, gpgKey: encrypted ? gpgKey : undefined });

    for (const [stage, result] of Object.entries(drill.results))
      expect({ stage, code: result.code, log: result.code ? describeFailure(result) : "" }).toMatchObject({ stage, code: 0 });
    const { report } = drill;
    expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK", failedStage: null });
    expect(report.tables).toEqual(TABLES.map((t) => ({ schema, name: t.name, rows: t.rows })).sort((a, b) => a.name.localeCompare(b.name)));
    expect(report.totalRows).toBe(43);
    expect(report.integrity.result).toBe("ok");
    expect(report.sandbox.engine).toBe(engine);
    expect(report.sandbox.version).toMatch(/\d+\.\d+/);
    const bytes = await fs.readFile(backupPath);
    expect(report.backup).toMatchObject({
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      encrypted,
      compression: packing.startsWith("gz") ? "gzip" : "none",
      format,
    });
    expect(report.stages.map((s) => [s.name, s.status])).toEqual([
      ["validate", "passed"],
      ["decrypt", "passed"],
      ["deploy", "passed"],
      ["restore", "passed"],
      ["destroy", "passed"],
    ]);
    await expectNothingLeft(drill.runDir);
  });

  it("should record a first-seen host key and then refuse a different one", async () => {
    const knownHosts = path.join(work, "tofu_known_hosts");
    const backupPath = await backupFile("sqlite-dump", "plain", "tofu.sql");
    const first = await runDrill({
      workDir: work,
      id: "tofu-1",
      sshd,
      backupPath,
      dbType: "sqlite",
      extraEnv: { BACKUP_HOST_KEY: "", RD_KNOWN_HOSTS_FILE: knownHosts },
    });
    expect(first.report.verdict).toBe("passed");
    expect(await fs.readFile(knownHosts, "utf8")).toContain(sshd.hostPublicKey.split(" ")[1]);

    const other = await startSshd();
    try {
      const recorded = (await fs.readFile(knownHosts, "utf8")).replace(`[127.0.0.1]:${sshd.port}`, `[127.0.0.1]:${other.port}`);
      await fs.writeFile(knownHosts, recorded);
      const second = await runDrill({
        workDir: work,
        id: "tofu-2",
        sshd: { ...other, clientKey: other.clientKey },
        backupPath,
        dbType: "sqlite",
        extraEnv: { BACKUP_HOST_KEY: "", RD_KNOWN_HOSTS_FILE: knownHosts },
      });
      expect(second.report).toMatchObject({ verdict: "could-not-verify", failedStage: "decrypt", reasonCode: "HOST_KEY_MISMATCH" });
      await expectNothingLeft(second.runDir);
    } finally {
      await other.stop();
    }
  });
});
