import { stripConsoleNotes } from "@/lib/jenkins/console-notes";
import type { ReportStage, RestoreReport } from "./report";

// The five stages a run page shows. deploy/decrypt/restore/destroy are the pipeline's stage
// jobs; "verify" is the read-every-row + integrity-check half of the restore job, shown on its
// own because it is what proves the backup.
//
// While a run is open there is no report yet, so progress is read from the pipeline's console:
// the parameterized-trigger plugin prints, for each blocking downstream build,
//   Waiting for the completion of restore-drill-deploy
//   restore-drill-deploy #12 started.
//   restore-drill-deploy #12 completed. Result was SUCCESS
// (on the raw log each job name is preceded by a hidden hyperlink note, ESC[8mha:…ESC[0m, which
// Jenkins ≥ 2.509 sends in progressiveText and which is stripped before matching; folder jobs
// print their full display name "folder » restore-drill-deploy"; the emulator prints the same
// lines, notes included). Those
// lines are parsed as they stream past (applyConsoleLines) and the result is kept in
// RestoreRun.stages. Once the report is in, the stages come from its stage records instead.

export const STAGE_NAMES = ["decrypt", "deploy", "restore", "verify", "destroy"] as const;
export type StageName = (typeof STAGE_NAMES)[number];
export const STAGE_STATUSES = ["pending", "running", "passed", "failed", "could-not-verify", "skipped"] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export interface StageView {
  name: StageName;
  status: StageStatus;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Restore-job reason codes that belong to the verify half (the import itself worked). */
const VERIFY_REASON_CODES = new Set([
  "ZERO_TABLES",
  "READ_FAILED",
  "INTEGRITY_FAILED",
  "INTEGRITY_UNAVAILABLE",
  // The data checks (scripts/lib/data-checks.sh) run after the import too.
  "ASSERTION_FAILED",
  "DATA_STALE",
  "FRESHNESS_QUERY_FAILED",
]);

export function pendingStages(): StageView[] {
  return STAGE_NAMES.map((name) => ({ name, status: "pending", startedAt: null, finishedAt: null }));
}

/** Parses RestoreRun.stages; anything unreadable counts as "nothing known yet". */
export function parseStoredStages(json: string | null): StageView[] {
  if (!json) return pendingStages();
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return pendingStages();
    return STAGE_NAMES.map((name) => {
      const found = parsed.find((s: unknown) => (s as { name?: unknown })?.name === name) as Partial<StageView> | undefined;
      const status = (STAGE_STATUSES as readonly string[]).includes(String(found?.status)) ? (found!.status as StageStatus) : "pending";
      return {
        name,
        status,
        startedAt: typeof found?.startedAt === "string" ? found.startedAt : null,
        finishedAt: typeof found?.finishedAt === "string" ? found.finishedAt : null,
      };
    });
  } catch {
    return pendingStages();
  }
}

const STAGE_JOB = /(?:^|[/» ])[A-Za-z0-9._-]*?-(deploy|decrypt|decrypt-gpg|restore|restore-gpg|destroy)$/;
const WAITING = /^Waiting for the completion of (.+?)\s*$/;
const COMPLETED = /^(.+?) #\d+ completed\. Result was ([A-Z_]+)\s*$/;

function stageOfJob(displayName: string): Exclude<StageName, "verify"> | null {
  const match = STAGE_JOB.exec(displayName.trim());
  if (!match) return null;
  if (match[1] === "decrypt-gpg") return "decrypt";
  return match[1] === "restore-gpg" ? "restore" : (match[1] as Exclude<StageName, "verify">);
}

function statusOfResult(result: string): StageStatus {
  if (result === "SUCCESS") return "passed";
  if (result === "FAILURE" || result === "UNSTABLE") return "failed";
  return "could-not-verify";
}

/**
 * Advances live stages by complete console lines. Monotone: a stage never goes back, so
 * reading the same lines twice changes nothing.
 */
export function applyConsoleLines(current: StageView[], lines: string[], now: Date): StageView[] {
  const stages = current.map((s) => ({ ...s }));
  const get = (name: StageName) => stages.find((s) => s.name === name)!;
  const at = now.toISOString();
  for (const rawLine of lines) {
    const line = stripConsoleNotes(rawLine);
    const waiting = WAITING.exec(line);
    if (waiting) {
      const name = stageOfJob(waiting[1]!);
      if (!name) continue;
      const stage = get(name);
      if (stage.status === "pending") Object.assign(stage, { status: "running", startedAt: at });
      // The pipeline skips ahead only to destroy (after a failure or an abort).
      if (name === "destroy") for (const s of stages) if (s.status === "pending" && s.name !== "destroy") s.status = "skipped";
      continue;
    }
    const completed = COMPLETED.exec(line);
    if (completed) {
      const name = stageOfJob(completed[1]!);
      if (!name) continue;
      const stage = get(name);
      if (stage.status !== "pending" && stage.status !== "running") continue;
      const status = statusOfResult(completed[2]!);
      Object.assign(stage, { status, startedAt: stage.startedAt ?? at, finishedAt: at });
      if (name === "restore") {
        // The restore job reads every row and checks integrity before it succeeds.
        Object.assign(get("verify"), status === "passed" ? { status, startedAt: stage.startedAt, finishedAt: at } : { status: "skipped" });
      }
    }
  }
  return stages;
}

/** A run closed without a report: what was running never finished, what was pending never ran. */
export function settleStages(stages: StageView[]): StageView[] {
  return stages.map((s) =>
    s.status === "running" ? { ...s, status: "could-not-verify" } : s.status === "pending" ? { ...s, status: "skipped" } : s,
  );
}

function fromRecord(record: ReportStage | undefined): StageView["status"] {
  switch (record?.status) {
    case "passed":
    case "failed":
    case "could-not-verify":
      return record.status;
    case "running":
      // The report is written after every stage: one still "running" was cut short.
      return "could-not-verify";
    default:
      return "skipped";
  }
}

/** The five shown stages from the report's stage records (validate is folded into the verdict). */
export function stagesFromReport(report: RestoreReport): StageView[] {
  const record = (name: ReportStage["name"]) => report.stages.find((s) => s.name === name);
  const view = (name: StageName, r: ReportStage | undefined, status = fromRecord(r)): StageView => ({
    name,
    status,
    startedAt: status === "skipped" ? null : (r?.startedAt ?? null),
    finishedAt: status === "skipped" ? null : (r?.finishedAt ?? null),
  });
  const restore = record("restore");
  const restoreStatus = fromRecord(restore);
  const failedInVerify =
    (restoreStatus === "failed" || restoreStatus === "could-not-verify") && VERIFY_REASON_CODES.has(restore?.reasonCode ?? "");
  let verifyStatus: StageStatus;
  if (failedInVerify) verifyStatus = restoreStatus;
  else if (restoreStatus === "passed")
    verifyStatus =
      report.integrity.result === "ok" && report.totalRows !== null
        ? "passed"
        : report.integrity.result === "failed"
          ? "failed"
          : "could-not-verify";
  else verifyStatus = "skipped";
  return [
    view("decrypt", record("decrypt")),
    view("deploy", record("deploy")),
    view("restore", restore, failedInVerify ? "passed" : restoreStatus),
    view("verify", restore, verifyStatus),
    view("destroy", record("destroy")),
  ];
}
