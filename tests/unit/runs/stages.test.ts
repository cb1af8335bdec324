import { applyConsoleLines, pendingStages, settleStages, stagesFromReport } from "@/lib/runs/stages";
import { restoreReportSchema, type RestoreReport } from "@/lib/runs/report";
import { closingFromReport } from "@/lib/runs/close";

const at = new Date("2026-03-01T12:00:00.000Z");
const statuses = (lines: string[]) => applyConsoleLines(pendingStages(), lines, at).map((s) => `${s.name}:${s.status}`);

describe("live stages from the pipeline console", () => {
  it("should follow parameterized-trigger's lines, plain and for folder jobs and the -gpg decrypt", () => {
    expect(statuses(["Waiting for the completion of restore-drill-deploy"])).toEqual([
      "decrypt:pending",
      "deploy:running",
      "restore:pending",
      "verify:pending",
      "destroy:pending",
    ]);
    expect(
      statuses([
        "Waiting for the completion of drills » restore-drill-deploy",
        "drills » restore-drill-deploy #4 started.",
        "drills » restore-drill-deploy #4 completed. Result was SUCCESS",
        "Waiting for the completion of restore-drill-decrypt-gpg",
        "restore-drill-decrypt-gpg #9 completed. Result was SUCCESS",
        "Waiting for the completion of restore-drill-restore",
        "restore-drill-restore #2 completed. Result was SUCCESS",
      ]),
    ).toEqual(["decrypt:passed", "deploy:passed", "restore:passed", "verify:passed", "destroy:pending"]);
    // The -gpg pipeline's restore job also streams and decrypts the backup.
    expect(statuses(["Waiting for the completion of restore-drill-restore-gpg"])).toEqual([
      "decrypt:pending",
      "deploy:pending",
      "restore:running",
      "verify:pending",
      "destroy:pending",
    ]);
  });

  it("should mark a failed stage, skip what the pipeline skips, and ignore the callback job and unrelated lines", () => {
    expect(
      statuses([
        "Waiting for the completion of restore-drill-decrypt",
        "restore-drill-decrypt #1 completed. Result was FAILURE",
        "Build step 'Trigger/call builds on other projects' changed build result to FAILURE",
        "Waiting for the completion of restore-drill-destroy",
        "Waiting for the completion of restore-drill-callback",
        "echo Waiting for the completion of restore-drill-restore is not at line start",
      ]),
    ).toEqual(["decrypt:failed", "deploy:skipped", "restore:skipped", "verify:skipped", "destroy:running"]);
  });

  it("should be monotone: the same lines read twice change nothing, and times are kept from the first sight", () => {
    const lines = ["Waiting for the completion of restore-drill-decrypt", "restore-drill-decrypt #1 completed. Result was SUCCESS"];
    const once = applyConsoleLines(pendingStages(), lines, at);
    const twice = applyConsoleLines(once, lines, new Date("2026-03-01T13:00:00.000Z"));
    expect(twice).toEqual(once);
    expect(once[0]).toMatchObject({ startedAt: at.toISOString(), finishedAt: at.toISOString() });
  });

  it("should settle a run closed without a report: running → could-not-verify, pending → skipped", () => {
    const live = applyConsoleLines(pendingStages(), ["Waiting for the completion of restore-drill-decrypt"], at);
    expect(settleStages(live).map((s) => s.status)).toEqual(["could-not-verify", "skipped", "skipped", "skipped", "skipped"]);
  });
});

function report(overrides: Partial<RestoreReport>, restore: Partial<RestoreReport["stages"][number]> = {}): RestoreReport {
  const stage = (name: RestoreReport["stages"][number]["name"]) => ({
    name,
    status: "passed" as const,
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    reasonCode: null,
    reason: null,
  });
  return restoreReportSchema.parse({
    schemaVersion: 1,
    generatedAt: "2026-01-01T00:00:09.000Z",
    runId: "r1",
    verdict: "passed",
    failedStage: null,
    reasonCode: "OK",
    reason: "ok",
    jenkins: { job: null, build: null, url: null },
    backup: {
      host: null,
      port: null,
      path: null,
      dbType: null,
      bytes: null,
      sha256: null,
      encrypted: null,
      compression: null,
      format: null,
    },
    sandbox: { provider: null, engine: null, version: null, startSeconds: null },
    stages: [stage("validate"), stage("decrypt"), stage("deploy"), { ...stage("restore"), ...restore }, stage("destroy")],
    tables: [],
    totalRows: 3,
    integrity: { method: "PRAGMA integrity_check", result: "ok", detail: null },
    ...overrides,
  });
}
const shown = (r: RestoreReport) => stagesFromReport(r).map((s) => `${s.name}:${s.status}`);

describe("stages from the report", () => {
  it("should show verify passed only when rows were counted and integrity is ok", () => {
    expect(shown(report({}))).toEqual(["decrypt:passed", "deploy:passed", "restore:passed", "verify:passed", "destroy:passed"]);
    expect(shown(report({ integrity: { method: null, result: "not-run", detail: null } }))).toContain("verify:could-not-verify");
  });

  it("should put read/integrity failures on verify and import failures on restore", () => {
    expect(
      shown(report({ verdict: "failed", reasonCode: "INTEGRITY_FAILED" }, { status: "failed", reasonCode: "INTEGRITY_FAILED" })),
    ).toEqual(["decrypt:passed", "deploy:passed", "restore:passed", "verify:failed", "destroy:passed"]);
    expect(
      shown(report({ verdict: "failed", reasonCode: "DUMP_TRUNCATED" }, { status: "failed", reasonCode: "DUMP_TRUNCATED" })),
    ).toContain("restore:failed");
    expect(
      shown(report({ verdict: "failed", reasonCode: "DUMP_TRUNCATED" }, { status: "failed", reasonCode: "DUMP_TRUNCATED" })),
    ).toContain("verify:skipped");
  });

  it("should show a stage the report left running as could-not-verify and one never run as skipped", () => {
    expect(shown(report({ verdict: "could-not-verify" }, { status: "running" }))).toContain("restore:could-not-verify");
    expect(shown(report({ verdict: "could-not-verify" }, { status: "not-run" }))).toEqual(
      expect.arrayContaining(["restore:skipped", "verify:skipped"]),
    );
  });
});

describe("a stopped run's report", () => {
  const failedImport = report(
    { verdict: "failed", failedStage: "restore", reasonCode: "IMPORT_SQL_ERROR", reason: "Lost connection to server during query" },
    { status: "failed", reasonCode: "IMPORT_SQL_ERROR", finishedAt: "2026-01-01T00:00:05.000Z" },
  );
  const stoppedAt = (iso: string) => ({ stopRequestedAt: new Date(iso), stopRequestedByEmail: "ann@example.test" });

  it("should be aborted when the stage failed after the stop was asked for (its sandbox torn down under it)", () => {
    expect(closingFromReport(stoppedAt("2026-01-01T00:00:04.000Z"), failedImport, "{}")).toMatchObject({
      status: "aborted",
      reason: expect.stringMatching(/^Stopped by ann@example.test: /),
    });
  });

  it("should stay failed when the stage had failed before the stop, and when nobody stopped it", () => {
    expect(closingFromReport(stoppedAt("2026-01-01T00:00:06.000Z"), failedImport, "{}").status).toBe("failed");
    expect(closingFromReport({ stopRequestedAt: null, stopRequestedByEmail: null }, failedImport, "{}").status).toBe("failed");
  });
});
