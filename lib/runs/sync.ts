import type { Db } from "@/lib/db/client";
import { isJenkinsError, type BuildStatus, type JenkinsAdapter } from "@/lib/jenkins";
import { claimBuildNumber } from "./build-number";
import { applyClosing, closingFromReport, closingVanished, closingWithoutReport, parseReport } from "./close";
import { isOpenStatus } from "./status";

// One open run brought in line with Jenkins: queue item → build, build → running, finished
// build → its report → closed. Shared by the reconciler (every open run, every few seconds)
// and the live poller (the run someone is watching, every 500 ms). Jenkins faults are thrown
// to the caller, which decides how loudly to say so; the run is left as it was.

export type RunRow = NonNullable<Awaited<ReturnType<Db["restoreRun"]["findUnique"]>>>;
export type SyncJenkins = Pick<JenkinsAdapter, "url" | "getQueueState" | "getBuild" | "listBuilds" | "readRestoreReport">;

/** A queued run whose trigger never got a queue id (the portal stopped mid-trigger) is given up after this. */
export const TRIGGER_GRACE_MS = 2 * 60_000;

export type SyncOutcome = "unchanged" | "started" | "closed";

export function buildUrlFor(jenkinsUrl: string, job: string, number: number): string {
  return `${jenkinsUrl}${job
    .split("/")
    .map((s) => `job/${encodeURIComponent(s)}/`)
    .join("")}${number}/`;
}

export async function syncRun(deps: { db: Db; jenkins: SyncJenkins; now?: () => Date }, run: RunRow): Promise<SyncOutcome> {
  const { db, jenkins } = deps;
  const now = deps.now?.() ?? new Date();
  if (!isOpenStatus(run.status)) return "unchanged";

  let buildNumber = run.buildNumber;
  if (buildNumber === null) {
    if (run.queueId === null) {
      if (now.getTime() - run.createdAt.getTime() < TRIGGER_GRACE_MS) return "unchanged";
      const { count } = await db.restoreRun.updateMany({
        where: { id: run.id, status: "queued", queueId: null },
        data: {
          status: "failed-to-start",
          reasonCode: "TRIGGER_LOST",
          reason: "The portal stopped before Jenkins confirmed the trigger; no build is known for this run.",
          finishedAt: now,
        },
      });
      return count ? "closed" : "unchanged";
    }
    const found = await buildOfQueueItem(jenkins, run.jobName, run.queueId);
    if (found === "cancelled") return (await applyClosing(db, run, closingVanished(run, "queue-cancelled", now))) ? "closed" : "unchanged";
    if (found === "vanished") return (await applyClosing(db, run, closingVanished(run, "queue-item", now))) ? "closed" : "unchanged";
    if (found === "waiting") return "unchanged";
    buildNumber = found;
  }

  let build: BuildStatus;
  try {
    build = await jenkins.getBuild(run.jobName, buildNumber);
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) throw error;
    const vanished = { ...run, buildNumber };
    return (await applyClosing(db, run, closingVanished(vanished, "build", now))) ? "closed" : "unchanged";
  }

  let outcome: SyncOutcome = "unchanged";
  if (run.buildNumber === null && !(await claimBuildNumber(db, run.id, run.jobName, buildNumber))) return outcome;
  if (run.buildNumber === null || run.status === "queued") {
    const { count } = await db.restoreRun.updateMany({
      where: { id: run.id, status: { in: ["queued", "running"] } },
      data: { status: "running", buildNumber, buildUrl: buildUrlFor(jenkins.url, run.jobName, buildNumber), startedAt: build.startedAt },
    });
    if (count) outcome = "started";
  }
  if (build.building) return outcome;
  return (await closeFinished(deps, { ...run, buildNumber }, build)) ? "closed" : outcome;
}

/** Reads the finished build's report and closes the run with it (or without it). */
async function closeFinished(deps: { db: Db; jenkins: SyncJenkins }, run: RunRow, build: BuildStatus): Promise<boolean> {
  let raw: unknown;
  try {
    raw = await deps.jenkins.readRestoreReport(run.jobName, build.number);
  } catch (error) {
    if (isJenkinsError(error, "not-found")) return applyClosing(deps.db, run, closingVanished(run, "build"));
    if (isJenkinsError(error, "bad-response") && !error.transient)
      return applyClosing(deps.db, run, closingWithoutReport(run, build, "not JSON"));
    throw error;
  }
  if (raw === null) return applyClosing(deps.db, run, closingWithoutReport(run, build));
  const parsed = parseReport(raw);
  if (!parsed.ok) return applyClosing(deps.db, run, closingWithoutReport(run, build, parsed.problem));
  if (run.source === "portal" && parsed.report.runId !== run.id) {
    return applyClosing(deps.db, run, closingWithoutReport(run, build, `it names run ${parsed.report.runId ?? "none"}, not ${run.id}`));
  }
  const closing = closingFromReport(run, parsed.report, JSON.stringify(raw), build);
  closing.buildUrl ??= buildUrlFor(deps.jenkins.url, run.jobName, build.number);
  return applyClosing(deps.db, run, closing);
}

/**
 * The build a queue item became. Left items expire after 5 minutes (and on a Jenkins restart),
 * so a 404 is answered from the job's recent builds, which carry their queue id.
 */
async function buildOfQueueItem(
  jenkins: SyncJenkins,
  job: string,
  queueId: number,
): Promise<number | "waiting" | "cancelled" | "vanished"> {
  try {
    const state = await jenkins.getQueueState(queueId);
    if (state.state === "cancelled") return "cancelled";
    if (state.state === "left" && state.buildNumber !== undefined) return state.buildNumber;
    return "waiting";
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) throw error;
  }
  const recent = await jenkins.listBuilds(job, { limit: 50 });
  return recent.find((b) => b.queueId === queueId)?.number ?? "vanished";
}
