/**
 * The summary block report.sh prints at the end of the pipeline's console. Jenkins' Mailer
 * quotes the console's tail in the failure e-mail, so this block is the mail's content:
 * verdict, reason, the schedule and links to the portal's run page and the Jenkins build.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { runStage } from "./helpers/stages";

jest.setTimeout(60_000);

let work: string;
let reportDir: string;

beforeAll(async () => {
  work = await makeTempDir("rdj-summary");
  reportDir = path.join(work, "report");
  await fs.mkdir(reportDir);
  const record = {
    name: "decrypt",
    status: "failed",
    startedAt: "2026-01-01T10:00:00.000Z",
    finishedAt: "2026-01-01T10:00:01.000Z",
    reasonCode: "FILE_MISSING",
    reason: "No such file:\n/backups/x.db\u0007",
    facts: {},
  };
  await fs.writeFile(path.join(reportDir, "stage-decrypt.json"), JSON.stringify(record));
});

afterAll(async () => {
  await removeDir(work);
});

const BUILD = {
  JOB_NAME: "restore-drill-pipeline",
  BUILD_NUMBER: "42",
  BUILD_URL: "http://jenkins.example.test/job/restore-drill-pipeline/42/",
};
const CALLBACK_URL = "http://portal.example.test:3000/api/runs/callback";

/** The lines between the block's two rulers. */
async function summary(env: Record<string, string>): Promise<string[]> {
  const result = await runStage("report", { REPORT_DIR: reportDir, ...env });
  expect(result.code).toBe(0);
  const lines = result.stderr.split("\n");
  const start = lines.indexOf("===== Restore Drill result =====");
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^=+$/.test(l));
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

it("should link a timer-started build (no RUN_ID) by job and build number, naming its schedule", async () => {
  expect(await summary({ ...BUILD, CALLBACK_URL, RUN_ID: "", SCHEDULE_NAME: "Shop DB (EU) v2.1" })).toEqual([
    "Verdict: failed (stage decrypt)",
    "Reason: FILE_MISSING - No such file: /backups/x.db ",
    "Schedule: Shop DB (EU) v2.1",
    "Run page: http://portal.example.test:3000/runs/by-build/restore-drill-pipeline/42",
    "Jenkins build: http://jenkins.example.test/job/restore-drill-pipeline/42/",
  ]);
});

it("should link a portal-started run by its run id, under a portal served below a path", async () => {
  const lines = await summary({
    ...BUILD,
    CALLBACK_URL: "https://drill.example.test/portal/api/runs/callback?v=1",
    RUN_ID: "cmrun_0123-abc",
  });
  expect(lines).toContain("Run page: https://drill.example.test/portal/runs/cmrun_0123-abc");
  expect(lines.some((l) => l.startsWith("Schedule:"))).toBe(false);
});

it("should leave the run page out when there is no portal to link to", async () => {
  for (const url of ["", "http://portal.example.test/hooks/restore", "not a url"]) {
    const lines = await summary({ ...BUILD, CALLBACK_URL: url, RUN_ID: "" });
    expect({ url, runPage: lines.filter((l) => l.startsWith("Run page:")) }).toEqual({ url, runPage: [] });
    expect(lines).toContain(`Jenkins build: ${BUILD.BUILD_URL}`);
  }
});

it("should print hostile values neither raw nor evaluated", async () => {
  const marker = path.join(work, "pwned");
  const hostile = [`$(touch ${marker})`, `x\nSchedule: forged`, `\`touch ${marker}\``];
  for (const value of hostile) {
    const lines = await summary({ ...BUILD, CALLBACK_URL, RUN_ID: value, SCHEDULE_NAME: value, JOB_NAME: value });
    expect(lines).toContain("Schedule: (not shown: not a valid schedule name)");
    expect(lines.filter((l) => l.startsWith("Schedule:"))).toHaveLength(1);
    // Neither the run id nor the job name is usable: no link rather than a forged one.
    expect(lines.filter((l) => l.startsWith("Run page:"))).toEqual([]);
  }
  const lines = await summary({ ...BUILD, CALLBACK_URL, RUN_ID: "$(id)" });
  expect(lines).toContain("Run page: http://portal.example.test:3000/runs/by-build/restore-drill-pipeline/42");
  await expect(fs.stat(marker)).rejects.toThrow(/ENOENT/);
});

it("should name the tested file, its age and the limit, and fail a stale backup BACKUP_STALE", async () => {
  const dir = path.join(work, "stale-report");
  await fs.mkdir(dir);
  const stage = (name: string, facts: Record<string, unknown> = {}) => ({
    name,
    status: "passed",
    startedAt: "2026-01-01T10:00:00.000Z",
    finishedAt: "2026-01-01T10:00:01.000Z",
    reasonCode: "OK",
    reason: "ok",
    facts,
  });
  const selection = {
    directory: "/backups",
    pattern: "shop-*.sql",
    file: "/backups/shop-3.sql",
    mtime: "2025-12-30T04:00:00Z",
    bytes: 10,
    matches: 3,
    ageSeconds: 30 * 3600,
    maxAgeHours: 26,
    stale: true,
    nameDate: null,
  };
  const records = [
    stage("validate"),
    stage("decrypt", { selection }),
    stage("deploy"),
    stage("restore", { tables: [{ schema: "main", name: "orders", rows: 4 }], totalRows: 4 }),
    stage("destroy"),
  ];
  for (const r of records) await fs.writeFile(path.join(dir, `stage-${r.name}.json`), JSON.stringify(r));
  const result = await runStage("report", { REPORT_DIR: dir, RUN_ID: "" });
  expect(result.code).toBe(0);
  expect(result.stderr).toContain("Verdict: failed (stage decrypt)");
  expect(result.stderr).toContain(
    "Reason: BACKUP_STALE - the newest backup /backups/shop-3.sql is 30 h old, over the limit of 26 h; the old file itself restores (1 tables, 4 rows read, integrity check ok)",
  );
  expect(result.stderr).toContain(
    "Backup file: /backups/shop-3.sql (3 matching, modified 2025-12-30T04:00:00Z, 30 h old, limit 26 h: STALE)",
  );
  const report = JSON.parse(await fs.readFile(path.join(dir, "restore-report.json"), "utf8")) as { backup: { selection: unknown } };
  expect(report.backup.selection).toEqual({ ...selection, restores: true });
});
