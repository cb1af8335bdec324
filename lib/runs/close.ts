import type { Db } from "@/lib/db/client";
import type { BuildStatus } from "@/lib/jenkins";
import type { ShrinkAlarm } from "./alarm";
import { claimBuildNumber } from "./build-number";
import { restoreReportSchema, describeReportProblems, type RestoreReport } from "./report";
import { BACKUP_SHRANK, shrinkAlarmForClosing } from "./shrink";
import { alarmMailFromEnv, notifyShrinkAlarm, type AlarmMailDeps } from "./shrink-notify";
import { parseStoredStages, settleStages, stagesFromReport } from "./stages";
import { OPEN_STATUSES, PORTAL_REASON, type RunStatus } from "./status";

// How a run ends, decided from what is known: a report (from the callback or the archived
// artifact), the build's final state, or the fact that Jenkins lost the build. Every close is
// one conditional update, so whoever comes second (callback vs reconciler vs live poller)
// changes nothing.

type RunRow = NonNullable<Awaited<ReturnType<Db["restoreRun"]["findUnique"]>>>;

export interface Closing {
  status: Exclude<RunStatus, "queued" | "running">;
  failedStage: string | null;
  reasonCode: string;
  reason: string;
  report?: string;
  stages?: string;
  buildNumber?: number;
  buildUrl?: string | null;
  startedAt?: Date;
  finishedAt: Date;
  backupBytes?: bigint | null;
  totalRows?: bigint | null;
  /** The Jenkins node that ran the build. */
  agent?: string | null;
}

/** Parses and checks a report; returns the problems instead of throwing. */
export function parseReport(raw: unknown): { ok: true; report: RestoreReport } | { ok: false; problem: string } {
  const parsed = restoreReportSchema.safeParse(raw);
  return parsed.success ? { ok: true, report: parsed.data } : { ok: false, problem: describeReportProblems(parsed.error) };
}

function earliestStageStart(report: RestoreReport): Date | undefined {
  const times = report.stages.map((s) => (s.startedAt ? Date.parse(s.startedAt) : NaN)).filter(Number.isFinite);
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/**
 * A stage that failed only after someone asked to stop the run failed because of the stop (its
 * sandbox torn down under a running import): the run was stopped, not found broken.
 */
function failedAfterStop(stopRequestedAt: Date, report: RestoreReport): boolean {
  if (report.verdict !== "failed") return false;
  const failed = report.stages.find((s) => s.name === report.failedStage);
  return !!failed?.finishedAt && Date.parse(failed.finishedAt) >= stopRequestedAt.getTime();
}

/** The run's end according to its report (and, when already known, the build's result). */
export function closingFromReport(
  run: Pick<RunRow, "stopRequestedAt" | "stopRequestedByEmail">,
  report: RestoreReport,
  rawReport: string,
  build?: BuildStatus | null,
): Closing {
  let status: Closing["status"] = report.verdict;
  let reasonCode = report.reasonCode;
  let reason = report.reason;
  const finishedBuild = build && !build.building ? build : null;
  if (run.stopRequestedAt && (report.verdict === "could-not-verify" || failedAfterStop(run.stopRequestedAt, report))) {
    status = "aborted";
    reason = `Stopped${run.stopRequestedByEmail ? ` by ${run.stopRequestedByEmail}` : ""}: ${report.reason}`;
  } else if (report.verdict === "passed" && finishedBuild && finishedBuild.result !== "SUCCESS" && finishedBuild.result !== "UNSTABLE") {
    // Never green on a contradiction.
    status = "could-not-verify";
    reasonCode = PORTAL_REASON.resultDisagrees;
    reason = `The report says passed but Jenkins ended the build ${finishedBuild.result ?? "without a result"}.`;
  }
  const startedAt = build?.startedAt ?? earliestStageStart(report);
  const finishedAt = finishedBuild ? new Date(finishedBuild.startedAt.getTime() + finishedBuild.durationMs) : new Date(report.generatedAt);
  return {
    status,
    failedStage: report.failedStage,
    reasonCode,
    reason,
    report: rawReport,
    stages: JSON.stringify(stagesFromReport(report)),
    buildNumber: report.jenkins.build ?? build?.number,
    buildUrl: report.jenkins.url ?? undefined,
    startedAt,
    finishedAt,
    backupBytes: report.backup.bytes === null ? null : BigInt(report.backup.bytes),
    totalRows: report.totalRows === null ? null : BigInt(report.totalRows),
    agent: report.jenkins.node ?? finishedBuild?.agent ?? null,
  };
}

/** A finished build without a usable report. */
export function closingWithoutReport(run: RunRow, build: BuildStatus, problem?: string): Closing {
  const finishedAt = new Date(build.startedAt.getTime() + build.durationMs);
  const stages = JSON.stringify(settleStages(parseStoredStages(run.stages)));
  const base = { failedStage: null, stages, buildNumber: build.number, startedAt: build.startedAt, finishedAt, agent: build.agent };
  if (build.result === "ABORTED") {
    if (run.stopRequestedAt) {
      return {
        ...base,
        status: "aborted",
        reasonCode: PORTAL_REASON.stopped,
        reason: `Stopped${run.stopRequestedByEmail ? ` by ${run.stopRequestedByEmail}` : ""} before the pipeline wrote a report.`,
      };
    }
    return {
      ...base,
      status: "could-not-verify",
      reasonCode: PORTAL_REASON.buildAborted,
      reason:
        "Jenkins aborted the build before it wrote a restore report (Jenkins may have restarted, or someone stopped the build in Jenkins). Nothing was verified.",
    };
  }
  if (problem) {
    return {
      ...base,
      status: "could-not-verify",
      reasonCode: PORTAL_REASON.reportInvalid,
      reason: `The build's restore-report.json is not a valid report (${problem}).`,
    };
  }
  return {
    ...base,
    status: "could-not-verify",
    reasonCode: PORTAL_REASON.noReport,
    reason: `The build ended ${build.result ?? "without a result"} without archiving restore-report.json, so nothing was verified.`,
  };
}

/** Jenkins no longer knows the run's build or queue item. */
export function closingVanished(run: RunRow, what: "build" | "queue-item" | "queue-cancelled", now = new Date()): Closing {
  const stages = JSON.stringify(settleStages(parseStoredStages(run.stages)));
  if (what === "build") {
    return {
      status: "could-not-verify",
      failedStage: null,
      reasonCode: PORTAL_REASON.buildVanished,
      reason: `Build #${run.buildNumber} of ${run.jobName} is gone from Jenkins (deleted, discarded, or lost) and its verdict was never received.`,
      stages,
      finishedAt: now,
    };
  }
  if (what === "queue-cancelled") {
    const stopped = Boolean(run.stopRequestedAt);
    return {
      status: stopped ? "aborted" : "could-not-verify",
      failedStage: null,
      reasonCode: stopped ? PORTAL_REASON.stopped : PORTAL_REASON.queueCancelled,
      reason: stopped
        ? `Stopped${run.stopRequestedByEmail ? ` by ${run.stopRequestedByEmail}` : ""} before it left Jenkins' queue.`
        : "The run was cancelled in Jenkins' queue before it started.",
      stages,
      finishedAt: now,
    };
  }
  return {
    status: "could-not-verify",
    failedStage: null,
    reasonCode: PORTAL_REASON.queueItemVanished,
    reason: `Jenkins no longer knows queue item ${run.queueId} and no build of ${run.jobName} came from it (queue items expire 5 minutes after they leave the queue).`,
    stages,
    finishedAt: now,
  };
}

export interface ClosingOptions {
  /** How a shrink alarm is mailed (default: SMTP_URL, MAIL_FROM and PORTAL_URL from the environment). */
  alarmMail?: AlarmMailDeps;
  /**
   * Wait for the alarm mail (and its audit event) before returning. Off by default: whoever
   * closes the run (the callback, the reconciler, the live poller) is not held up by SMTP.
   */
  waitForAlarmMail?: boolean;
}

/** A passed closing the shrink alarm turns into a failure (the schedule says "fail the run"). */
export function withShrinkAlarm(closing: Closing, alarm: ShrinkAlarm): Closing {
  if (alarm.mode !== "fail") return closing;
  return { ...closing, status: "failed", failedStage: null, reasonCode: BACKUP_SHRANK, reason: alarm.summary };
}

/** The shrink alarm for this closing, or null; a fault here is logged and never blocks the close. */
async function shrinkCheck(db: Db, runId: string, closing: Closing): Promise<Awaited<ReturnType<typeof shrinkAlarmForClosing>>> {
  try {
    return await shrinkAlarmForClosing(db, runId, closing);
  } catch (error) {
    console.error(`[runs] shrink check for run ${runId} failed; closing it without one: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Applies a closing if the run is still open. Returns whether this call closed it. A passed run
 * of a schedule is first compared with the schedule's last passed run (lib/runs/shrink.ts): the
 * alarm, and the verdict it may change, go into the same conditional update, and only the call
 * that closed the run mails it.
 */
export async function applyClosing(
  db: Db,
  run: Pick<RunRow, "id" | "startedAt" | "jobName">,
  closing: Closing,
  options: ClosingOptions = {},
): Promise<boolean> {
  const shrink = await shrinkCheck(db, run.id, closing);
  const final = shrink ? withShrinkAlarm(closing, shrink.alarm) : closing;
  // An open run holding the number keeps it for now; the closing goes through without it.
  const claimed = final.buildNumber === undefined || (await claimBuildNumber(db, run.id, run.jobName, final.buildNumber));
  const startedAt = final.startedAt ?? run.startedAt ?? undefined;
  const durationMs = startedAt ? Math.max(0, final.finishedAt.getTime() - startedAt.getTime()) : null;
  const { count } = await db.restoreRun.updateMany({
    where: { id: run.id, status: { in: [...OPEN_STATUSES] } },
    data: {
      status: final.status,
      failedStage: final.failedStage,
      reasonCode: final.reasonCode,
      reason: final.reason,
      ...(final.report !== undefined ? { report: final.report } : {}),
      ...(final.stages !== undefined ? { stages: final.stages } : {}),
      ...(final.buildNumber !== undefined && claimed ? { buildNumber: final.buildNumber } : {}),
      ...(final.buildUrl ? { buildUrl: final.buildUrl } : {}),
      ...(startedAt ? { startedAt } : {}),
      ...(final.backupBytes !== undefined ? { backupBytes: final.backupBytes } : {}),
      ...(final.totalRows !== undefined ? { totalRows: final.totalRows } : {}),
      ...(shrink ? { alarm: JSON.stringify(shrink.alarm) } : {}),
      ...(final.agent ? { agent: final.agent } : {}),
      finishedAt: final.finishedAt,
      durationMs,
    },
  });
  if (count === 1 && shrink?.schedule) {
    const mailed = notifyShrinkAlarm(db, options.alarmMail ?? alarmMailFromEnv(), run.id, shrink.schedule, shrink.alarm);
    // notifyShrinkAlarm never rejects, so a mail left running cannot become an unhandled rejection.
    if (options.waitForAlarmMail) await mailed;
    else void mailed;
  }
  return count === 1;
}
