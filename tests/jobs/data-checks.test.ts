/**
 * Data checks through the real stage scripts (issue 14 items 2 and 3): assertions and the
 * freshness query on real MariaDB, PostgreSQL and SQLite sandboxes, DATA_STALE, and hostile
 * queries refused before anything runs or inert inside the sandbox (marker files prove it).
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { SampleFactory, type SampleFormat } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv, runDrill } from "./helpers/drill";
import { runStage } from "./helpers/stages";

jest.setTimeout(180_000);

let work: string;
let sshd: SshdServer;
let samples: SampleFactory;

beforeAll(async () => {
  work = await makeTempDir("rdj-data");
  await fs.chmod(work, 0o755);
  [sshd, samples] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples"))]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), samples?.stop()]);
  await removeDir(work);
});

type Engine = { dbType: "mysql" | "postgresql" | "sqlite"; format: SampleFormat; marker: RegExp; table: string };
const ENGINES: Engine[] = [
  { dbType: "mysql", format: "mysqldump", marker: /^-- Dump completed/m, table: "events" },
  { dbType: "postgresql", format: "pg-plain", marker: /^-- PostgreSQL database dump complete/m, table: "public.events" },
  { dbType: "sqlite", format: "sqlite-dump", marker: /^COMMIT;$/m, table: "events" },
];

const sqlTime = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

/** A real dump (customers 12 rows, orders 31) plus an `events` table whose newest row is `newest`. */
async function dumpWithEvents(engine: Engine, id: string, newest: Date): Promise<string> {
  const file = await samples.make(
    engine.format,
    [
      { name: "customers", rows: 12 },
      { name: "orders", rows: 31 },
    ],
    `${id}.sql`,
  );
  const older = new Date(newest.getTime() - 86_400_000);
  const events =
    `CREATE TABLE ${engine.table} (id integer PRIMARY KEY, created_at ${engine.dbType === "postgresql" ? "timestamptz" : "datetime"});\n` +
    `INSERT INTO ${engine.table} VALUES (1, '${sqlTime(older)}'), (2, '${sqlTime(newest)}');\n`;
  const text = await fs.readFile(file, "utf8");
  const at = engine.marker.exec(text)!.index;
  await fs.writeFile(file, text.slice(0, at) + events + text.slice(at));
  return file;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** Runs the whole drill on the engine's dump, its newest event `eventsAt`, with the checks in `extraEnv`. */
async function drill(engine: (typeof ENGINES)[number], name: string, eventsAt: Date, extraEnv: Record<string, string>) {
  const id = `${engine.dbType}-${name}`;
  const backupPath = await dumpWithEvents(engine, id, eventsAt);
  return (await runDrill({ workDir: work, id, sshd, backupPath, dbType: engine.dbType, extraEnv })).report;
}

describe.each(ENGINES)("$dbType", (engine) => {
  it("should pass when every assertion holds and the data is fresh, and show both in the report", async () => {
    const report = await drill(engine, "ok", hoursAgo(2), {
      ASSERTIONS: "orders >= 31, CUSTOMERS, events = 2",
      FRESHNESS_QUERY: "SELECT max(created_at)\nFROM events;",
    });
    expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK" });
    expect(report.assertions).toEqual([
      { assertion: "orders >= 31", rows: 31, exists: true, passed: true },
      { assertion: "CUSTOMERS", rows: 12, exists: true, passed: true },
      { assertion: "events = 2", rows: 2, exists: true, passed: true },
    ]);
    expect(report.freshness).toMatchObject({ query: "SELECT max(created_at) FROM events", result: "ok", backupTimeSource: "fetched" });
    expect(report.freshness!.ageSeconds).toBeGreaterThan(7000);
    expect(report.freshness!.ageSeconds).toBeLessThan(7400 + 300);
  });

  it("should fail ASSERTION_FAILED listing every failed assertion with the value seen", async () => {
    const report = await drill(engine, "assert", hoursAgo(1), { ASSERTIONS: "orders >= 1000\ncustomers > 1, invoices, events = 3" });
    expect(report).toMatchObject({ verdict: "failed", reasonCode: "ASSERTION_FAILED", failedStage: "restore" });
    expect(report.reason).toContain("orders >= 1000 (31 rows)");
    expect(report.reason).toContain("invoices (no such table)");
    expect(report.reason).toContain("events = 3 (2 rows)");
    expect(report.reason).not.toContain("customers");
    expect(report.assertions!.filter((a: { passed: boolean }) => !a.passed)).toHaveLength(3);
    expect(report.freshness).toBeNull();
  });

  it("should fail DATA_STALE when the newest data is older than the limit before the backup's time", async () => {
    const report = await drill(engine, "stale", hoursAgo(30), {
      FRESHNESS_QUERY: "SELECT max(created_at) FROM events",
      FRESHNESS_MAX_AGE_HOURS: "26",
    });
    expect(report).toMatchObject({ verdict: "failed", reasonCode: "DATA_STALE" });
    expect(report.reason).toMatch(/older than the backup's time .*the limit is 26\.0 h/);
    expect(report.freshness).toMatchObject({ result: "stale", limitSeconds: 26 * 3600 });
    expect(report.freshness!.valueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe("hostile freshness queries", () => {
  const marker = () => path.join(work, `marker-${Math.random().toString(36).slice(2)}`);

  it.each([
    ["two statements", "SELECT max(created_at) FROM events; DELETE FROM orders"],
    ["UPDATE", "UPDATE orders SET amount = 0"],
    ["DELETE", "DELETE FROM orders"],
    ["a comment hiding a second statement", "SELECT 1 /* ; */ FROM events\n-- ; DROP TABLE orders"],
    ["shell syntax", "SELECT $(touch MARKER)"],
    ["backticks", "SELECT `touch MARKER`"],
    ["INTO OUTFILE", "SELECT 'x' INTO OUTFILE 'MARKER'"],
    // 1 MB is refused by the form (tests/unit/pipeline/data-checks.test.ts); one environment string is capped at 128 KiB.
    ["a 100 KB query", `SELECT '${"x".repeat(100 * 1024)}'`],
  ])("should refuse %s in validate, before any sandbox starts", async (_, query) => {
    const file = marker();
    const backupPath = await dumpWithEvents(ENGINES[2]!, `hostile-${path.basename(file)}`, hoursAgo(1));
    const { report } = await runDrill({
      workDir: work,
      id: path.basename(file),
      sshd,
      backupPath,
      dbType: "sqlite",
      extraEnv: { FRESHNESS_QUERY: query.replaceAll("MARKER", file) },
    });
    expect(report).toMatchObject({ verdict: "could-not-verify", reasonCode: "INVALID_FRESHNESS_QUERY", failedStage: "validate" });
    expect(report.stages.find((s) => s.name === "deploy")?.status).toBe("not-run");
    await expect(fs.stat(file)).rejects.toThrow();
  });

  it("should keep a newline and an sqlite3 dot-command inert: folded into one line, the engine refuses it as SQL", async () => {
    const file = marker();
    const backupPath = await dumpWithEvents(ENGINES[2]!, `dot-${path.basename(file)}`, hoursAgo(1));
    const { report } = await runDrill({
      workDir: work,
      id: path.basename(file),
      sshd,
      backupPath,
      dbType: "sqlite",
      extraEnv: { FRESHNESS_QUERY: `SELECT max(created_at) FROM events\n.shell touch ${file}` },
    });
    expect(report).toMatchObject({ verdict: "could-not-verify", reasonCode: "FRESHNESS_QUERY_FAILED", failedStage: "restore" });
    expect(report.reason).toMatch(/syntax error|near/);
    await expect(fs.stat(file)).rejects.toThrow();
  });

  it("should refuse a hostile query again in the restore stage when validate was skipped (a build of the job by hand)", async () => {
    const id = "hostile-restore";
    const backupPath = await dumpWithEvents(ENGINES[2]!, id, hoursAgo(1));
    const env = drillEnv({ workDir: work, id, sshd, backupPath, dbType: "sqlite" });
    for (const stage of ["pipeline-start", "deploy", "decrypt"] as const) expect((await runStage(stage, env)).code).toBe(0);
    const restore = await runStage("restore", { ...env, FRESHNESS_QUERY: "DELETE FROM orders" });
    await runStage("destroy", env);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain("RESTORE_DRILL_REASON=INVALID_FRESHNESS_QUERY");
  });

  it.each([
    ["sqlite", "SELECT writefile('MARKER', 'x')"],
    ["postgresql", "SELECT lo_export(lo_from_bytea(0, 'x'), 'MARKER')"],
  ])("should keep a %s query that tries to write inert: %s", async (dbType, query) => {
    const file = marker();
    const engine = ENGINES.find((e) => e.dbType === dbType)!;
    const backupPath = await dumpWithEvents(engine, `inert-${path.basename(file)}`, hoursAgo(1));
    const { report } = await runDrill({
      workDir: work,
      id: path.basename(file),
      sshd,
      backupPath,
      dbType,
      extraEnv: { FRESHNESS_QUERY: query.replace("MARKER", file), ASSERTIONS: "orders = 31" },
    });
    // Either the engine refused it (could-not-verify with its error) or it returned no timestamp.
    expect(report.verdict).not.toBe("passed");
    expect(["FRESHNESS_QUERY_FAILED", "DATA_STALE"]).toContain(report.reasonCode);
    expect(report.assertions).toEqual([{ assertion: "orders = 31", rows: 31, exists: true, passed: true }]);
    await expect(fs.stat(file)).rejects.toThrow();
  });
});
