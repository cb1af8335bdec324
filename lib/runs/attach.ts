import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { claimBuildNumber } from "./build-number";
import type { RunRow } from "./sync";

// A portal run whose trigger reached Jenkins but whose queue id was never saved knows no build:
// the portal died in between (it waits queued, and after TRIGGER_GRACE_MS it is closed
// "failed-to-start (TRIGGER_LOST)"), or the trigger's answer was lost (a timeout or a 5xx after
// Jenkins took it: closed "failed-to-start" at once). The build itself carries the run's RUN_ID, so whenever it
// shows up — in the reconciler's pick-up or as the pipeline's callback — it is attached to its
// run, which is reopened (running) if it had been given up, and then closed with its verdict.

/** Whether the run never learnt its build and may take one that names it (RUN_ID). */
export function isAttachable(run: Pick<RunRow, "status" | "queueId" | "buildNumber" | "reasonCode">): boolean {
  // A build that names the run is proof that the run did start, whatever the portal concluded.
  return run.buildNumber === null && run.queueId === null && (run.status === "queued" || run.status === "failed-to-start");
}

/**
 * Attaches build `number` of `job` (which names the run in its RUN_ID) to the run. Returns the
 * run as it is now, or null when it cannot take the build (another build, another job, or another
 * open run holds the number). One conditional update, so the callback and the reconciler may race.
 */
export async function attachBuildToRun(
  db: Db,
  run: RunRow,
  job: string,
  build: { number: number; queueId: number | null; startedAt: Date | null; url: string | null },
): Promise<RunRow | null> {
  if (run.jobName !== job || !isAttachable(run)) return null;
  if (!(await claimBuildNumber(db, run.id, job, build.number))) return null;
  const { count } = await db.restoreRun.updateMany({
    where: {
      id: run.id,
      buildNumber: null,
      queueId: null,
      status: { in: ["queued", "failed-to-start"] },
    },
    data: {
      status: "running",
      buildNumber: build.number,
      ...(build.queueId !== null ? { queueId: build.queueId } : {}),
      ...(build.url ? { buildUrl: build.url } : {}),
      ...(build.startedAt ? { startedAt: build.startedAt } : {}),
      finishedAt: null,
      durationMs: null,
      failedStage: null,
      reasonCode: null,
      reason: null,
    },
  });
  if (count === 0) return null;
  await recordAudit(db, {
    actor: null,
    action: "run.attach",
    target: run.id,
    outcome: "success",
    details: { job, build: build.number, was: run.status },
  });
  return db.restoreRun.findUnique({ where: { id: run.id } });
}
