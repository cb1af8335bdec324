import { promises as fs } from "node:fs";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { startRun } from "@/lib/runs/start-run";
import { runParametersSchema } from "@/lib/validation/run";
import type { TestDatabase } from "@/tests/support/databases";
import type { SampleFactory, SampleTable } from "@/tests/support/servers/samples";
import type { SshdServer } from "@/tests/support/servers/sshd";
import { startRealPipeline, type RealPipeline } from "../jenkins/real-pipeline-fixture";
import { closedRunView, makeUser } from "./support";

// Issue 14's data checks and one-off shrink alarm through the real JJB pipeline (provisioned into
// the emulator, real sshd and MariaDB), started with the portal's startRun and closed by the
// pipeline's signed callback: the parameters reach the restore job as build parameters, and the
// run page's view shows what the sandbox found.

jest.setTimeout(300_000);

const SSH_ID = "data-checks-ssh";

let fx: RealPipeline;
let jenkins: JenkinsAdapter;
let sshd: SshdServer;
let samples: SampleFactory;
let t: TestDatabase;
let portalUrl: string;

beforeAll(async () => {
  fx = await startRealPipeline("run-checks", SSH_ID);
  ({ jenkins, sshd, samples, t, portalUrl } = fx);
});

afterAll(() => fx?.stop());

/** A MariaDB dump of `tables` plus `events` whose newest row is `hoursOld` hours old, at `fileName`. */
async function dump(tables: SampleTable[], fileName: string, hoursOld = 1): Promise<string> {
  const file = await samples.make("mysqldump", tables, fileName);
  const at = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
  const events = `CREATE TABLE events (id int PRIMARY KEY, created_at datetime);\nINSERT INTO events VALUES (1, '${at(hoursOld + 5)}'), (2, '${at(hoursOld)}');\n`;
  const text = await fs.readFile(file, "utf8");
  const marker = text.indexOf("-- Dump completed");
  await fs.writeFile(file, text.slice(0, marker) + events + text.slice(marker));
  return file;
}

async function runToEnd(backupPath: string, checks: Record<string, string> = {}) {
  const params = runParametersSchema.parse({
    backupHost: sshd.host,
    backupPort: sshd.port,
    backupPath,
    backupHostKey: sshd.hostPublicKey,
    dbType: "mysql",
    sshCredentialId: SSH_ID,
    ...checks,
  });
  const { runId } = await startRun({ db: t.db, jenkins, portalUrl }, await makeUser(t.db), params);
  return closedRunView(t.db, runId);
}

it("should fail ASSERTION_FAILED with every failed assertion and show the freshness value on the run page", async () => {
  const backupPath = await dump(
    [
      { name: "customers", rows: 11 },
      { name: "orders", rows: 23 },
    ],
    "checks.sql",
  );
  const view = await runToEnd(backupPath, {
    assertions: "orders >= 1000\ncustomers, invoices",
    freshnessQuery: "SELECT max(created_at) FROM events",
  });
  expect(view).toMatchObject({ status: "failed", reasonCode: "ASSERTION_FAILED", failedStage: "restore" });
  expect(view.reason).toContain("orders >= 1000 (23 rows)");
  expect(view.reason).toContain("invoices (no such table)");
  expect(view.assertions).toEqual([
    { assertion: "orders >= 1000", rows: 23, exists: true, passed: false },
    { assertion: "customers", rows: 11, exists: true, passed: true },
    { assertion: "invoices", rows: null, exists: false, passed: false },
  ]);
  expect(view.freshness).toMatchObject({ query: "SELECT max(created_at) FROM events", result: "ok", backupTimeSource: "fetched" });
});

it("should fail DATA_STALE through the pipeline when the newest data is older than the limit", async () => {
  const backupPath = await dump([{ name: "orders", rows: 5 }], "stale.sql", 50);
  const view = await runToEnd(backupPath, { freshnessQuery: "SELECT max(created_at) FROM events", freshnessMaxAgeHours: "48" });
  expect(view).toMatchObject({ status: "failed", reasonCode: "DATA_STALE" });
  expect(view.freshness).toMatchObject({ result: "stale", limitSeconds: 48 * 3600 });
});

it("should warn on a one-off run whose largest table lost all its rows, against the last passed run of the same backup", async () => {
  const full: SampleTable[] = [
    { name: "Album", rows: 34 },
    { name: "PlaylistTrack", rows: 871 },
    { name: "Track", rows: 350 },
  ];
  const first = await runToEnd(await dump(full, "chinook.sql"));
  expect(first.status).toBe("passed");
  expect(first.alarm).toBeNull();
  // Tomorrow's dump at the same path: PlaylistTrack is empty.
  await dump(
    full.map((x) => (x.name === "PlaylistTrack" ? { ...x, rows: 0 } : x)),
    "chinook.sql",
  );
  const second = await runToEnd(first.parameters.backupPath);
  expect(second.status).toBe("passed");
  expect(second.alarm).toMatchObject({ mode: "warn", comparedBy: "source", comparedWithRunId: first.id });
  expect(second.alarm?.drops).toContainEqual({ kind: "table-emptied", table: "restore_drill.PlaylistTrack", rows: 871 });
});
