import type { Db } from "@/lib/db/client";
import { isJenkinsError, type BuildStatus, type JenkinsAdapter, type JenkinsError, type JenkinsErrorKind } from "@/lib/jenkins";
import { PIPELINE_GPG_JOB, PIPELINE_JOB, parametersOfBuild, runParametersSchema } from "@/lib/validation/run";
import { attachBuildToRun } from "./attach";
import { claimBuildNumber, isStaleHolder } from "./build-number";
import { pendingStages } from "./stages";
import { runNowStarter } from "./started-by";
import { OPEN_STATUSES, type RunSource } from "./status";
import type { SweepTrigger } from "./sweep-trigger";
import { buildUrlFor, syncRun, type SyncJenkins } from "./sync";
import { markReconcileSuccess } from "./reconcile-health";
import type { TickLease } from "@/lib/db/tick-lease";

// Verdicts are never lost: the callback is the fast path, this is the safety net. Every few
// seconds each open run is checked against Jenkins (after a portal restart, a missed callback,
// a Jenkins restart), and pipeline builds started inside Jenkins are taken in as runs.

export const PIPELINE_JOBS = [PIPELINE_JOB, PIPELINE_GPG_JOB] as const;
/** How many of each pipeline job's newest builds are looked at for builds the portal does not know. */
export const PICKUP_WINDOW = 25;
const MAX_OPEN_RUNS_PER_ROUND = 200;
/** Faults that every further request would meet too: stop the round early. */
const GLOBAL_FAULTS: ReadonlySet<JenkinsErrorKind> = new Set(["unreachable", "timeout", "unauthorized", "forbidden"]);

export interface ReconcileDeps {
  db: Db;
  jenkins: SyncJenkins & Pick<JenkinsAdapter, "listBuilds" | "getBuild">;
  now?: () => Date;
  /** Starts the sandbox sweep job now and then (lib/runs/sweep-trigger.ts). */
  sweep?: SweepTrigger;
}

export interface ReconcileSummary {
  checked: number;
  started: number;
  closed: number;
  pickedUp: number;
  faults: JenkinsError[];
}

export async function reconcileOnce(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, started: 0, closed: 0, pickedUp: 0, faults: [] };
  const open = await deps.db.restoreRun.findMany({
    where: { status: { in: [...OPEN_STATUSES] } },
    orderBy: { createdAt: "asc" },
    take: MAX_OPEN_RUNS_PER_ROUND,
  });
  for (const run of open) {
    summary.checked++;
    try {
      const outcome = await syncRun(deps, run);
      if (outcome === "started") summary.started++;
      if (outcome === "closed") summary.closed++;
    } catch (error) {
      if (!isJenkinsError(error)) throw error;
      summary.faults.push(error);
      if (GLOBAL_FAULTS.has(error.kind)) return summary;
    }
  }
  for (const job of PIPELINE_JOBS) {
    try {
      summary.pickedUp += await pickUpJenkinsBuilds(deps, job);
    } catch (error) {
      if (!isJenkinsError(error)) throw error;
      // A job that was never provisioned has no builds to pick up.
      if (error.kind === "not-found") continue;
      summary.faults.push(error);
      if (GLOBAL_FAULTS.has(error.kind)) return summary;
    }
  }
  return summary;
}

/** Takes in the job's recent builds that no run knows; returns how many. */
async function pickUpJenkinsBuilds(deps: ReconcileDeps, job: string): Promise<number> {
  const recent = await deps.jenkins.listBuilds(job, { limit: PICKUP_WINDOW });
  if (recent.length === 0) return 0;
  const known = await deps.db.restoreRun.findMany({
    where: {
      jobName: job,
      OR: [
        { buildNumber: { in: recent.map((b) => b.number) } },
        { queueId: { in: recent.flatMap((b) => (b.queueId ? [b.queueId] : [])) } },
      ],
    },
    select: { buildNumber: true, queueId: true, status: true, startedAt: true, finishedAt: true },
  });
  let pickedUp = 0;
  for (const summary of recent) {
    // After a Jenkins reset, numbers and queue ids held by older, finished runs mean other builds.
    const holders = known.filter((r) => r.buildNumber === summary.number || (summary.queueId !== null && r.queueId === summary.queueId));
    if (holders.some((r) => !isStaleHolder(r, summary.startedAt))) continue;
    const build = await deps.jenkins.getBuild(job, summary.number);
    const runId = build.parameters.RUN_ID ?? "";
    const owner = runId ? await deps.db.restoreRun.findUnique({ where: { id: runId } }) : null;
    if (owner) {
      // A portal run that never learnt its build (its queue id was lost) takes it now; one whose
      // queue item has not been followed to this build yet is left to syncRun.
      const attached = await attachBuildToRun(deps.db, owner, job, { ...build, url: buildUrlFor(deps.jenkins.url, job, build.number) });
      if (attached) {
        await syncRun(deps, attached);
        pickedUp++;
      }
      continue;
    }
    if (await importBuild(deps, job, build)) pickedUp++;
  }
  return pickedUp;
}

async function importBuild(deps: ReconcileDeps, job: string, build: BuildStatus): Promise<boolean> {
  const origin = await originOfBuild(deps.db, build, deps.jenkins);
  // A schedule's build carries its parameters, but Jenkins does not export credentials
  // parameters' ids: the schedule's own values are the ones the build ran with.
  const parameters = origin.parameters ?? parametersOfBuild(build.parameters);
  // Only stale holders are left (pickUpJenkinsBuilds checked); an open one means another portal process won.
  if (!(await claimBuildNumber(deps.db, "", job, build.number))) return false;
  let run;
  try {
    run = await deps.db.restoreRun.create({
      data: {
        source: origin.source,
        scheduleId: origin.scheduleId,
        startedByEmail: origin.startedBy,
        parameters: JSON.stringify(parameters),
        backupHost: String(parameters.backupHost ?? ""),
        backupPath: String(parameters.backupPath ?? ""),
        dbType: String(parameters.dbType ?? ""),
        jobName: job,
        queueId: build.queueId,
        buildNumber: build.number,
        buildUrl: buildUrlFor(deps.jenkins.url, job, build.number),
        status: "running",
        startedAt: build.startedAt,
        stages: JSON.stringify(pendingStages()),
      },
    });
  } catch (error) {
    // Someone else (another portal process) took it in first: the (jobName, buildNumber) key holds.
    if ((error as { code?: string }).code === "P2002") return false;
    throw error;
  }
  if (!build.building) await syncRun(deps, run);
  return true;
}

/**
 * Who started a build Jenkins ran on its own. Seam for schedules: a schedule is a Jenkins job
 * (Schedule.jobName) whose timer triggers the pipeline, so its builds arrive with an upstream
 * cause naming that job.
 */
export async function originOfBuild(
  db: Db,
  build: BuildStatus,
  jenkins?: Pick<JenkinsAdapter, "getBuild">,
): Promise<{ source: RunSource; scheduleId: string | null; startedBy: string | null; parameters?: Record<string, unknown> }> {
  for (const cause of build.causes) {
    if (cause.kind !== "upstream") continue;
    const schedule = await db.schedule.findUnique({ where: { jobName: cause.upstreamJob }, select: { id: true, parameters: true } });
    if (schedule) {
      const startedBy = jenkins ? await runNowStarter(db, jenkins, schedule.id, cause) : null;
      return { source: "schedule", scheduleId: schedule.id, startedBy, parameters: parsedScheduleParameters(schedule.parameters) };
    }
  }
  const user = build.causes.find((c) => c.kind === "user");
  return {
    source: "jenkins",
    scheduleId: null,
    startedBy: user && user.kind === "user" ? (user.userId ? `${user.userId} (Jenkins)` : null) : null,
  };
}

function parsedScheduleParameters(json: string): Record<string, unknown> | undefined {
  const parsed = runParametersSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : undefined;
}

export interface Reconciler {
  stop(): void;
  /** Resolves after the round in progress (if any) and one more. */
  runNow(): Promise<ReconcileSummary>;
}

/**
 * Runs reconcileOnce every intervalMs. Jenkins faults are logged once per kind (and once when
 * Jenkins answers again), not on every round.
 */
export function startReconciler(
  deps: ReconcileDeps & { intervalMs: number; log?: (message: string) => void; lease?: TickLease },
): Reconciler {
  const log = deps.log ?? ((message: string) => console.warn(`[reconciler] ${message}`));
  let lastFault: JenkinsErrorKind | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let current: Promise<ReconcileSummary> | null = null;

  const round = async (): Promise<ReconcileSummary> => {
    try {
      // Replicas (lib/db/tick-lease.ts): one process per tick; the others only mirror its health.
      if (deps.lease && !(await deps.lease.acquire())) {
        const okAt = await deps.lease.lastOk();
        if (okAt) markReconcileSuccess(okAt.getTime());
        return { checked: 0, started: 0, closed: 0, pickedUp: 0, faults: [] };
      }
      const summary = await reconcileOnce(deps);
      await deps.sweep?.tick().catch((error: unknown) => log(`sweep trigger failed: ${(error as Error).message}`));
      const fault = summary.faults[0];
      if (fault && fault.kind !== lastFault) log(`Jenkins: ${fault.message} — open runs stay open until it answers`);
      if (!fault && lastFault) log("Jenkins answers again");
      lastFault = fault?.kind ?? null;
      if (!fault) markReconcileSuccess();
      if (!fault) await deps.lease?.markOk();
      return summary;
    } catch (error) {
      log(`round failed: ${(error as Error).message}`);
      return { checked: 0, started: 0, closed: 0, pickedUp: 0, faults: [] };
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      current = round();
      await current;
      current = null;
      schedule();
    }, deps.intervalMs);
    timer.unref?.();
  };
  // First round soon after start: runs left open by a restart are looked at at once.
  timer = setTimeout(async () => {
    current = round();
    await current;
    current = null;
    schedule();
  }, 0);
  timer.unref?.();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      void deps.lease?.release().catch(() => undefined);
    },
    async runNow() {
      if (current) await current;
      return round();
    },
  };
}
