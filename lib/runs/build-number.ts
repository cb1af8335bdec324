import type { Db } from "@/lib/db/client";
import { isOpenStatus, OPEN_STATUSES } from "./status";

// A Jenkins started on a fresh home (or a pipeline job deleted and re-created) numbers builds
// from 1 again, so a number an older run recorded comes round for a new build. The build
// Jenkins names now is the one that number means: a finished run holding it gives it up — its
// buildUrl, report and verdict stay, only the stale pointer to "build #N of this job" goes
// (following it would show another build's console) — so the (jobName, buildNumber) key
// admits the new run instead of failing every sync of it.

/**
 * Frees `buildNumber` of `jobName` for run `runId`. False when another *open* run holds it:
 * that run is synced (and, its build being gone, closed) first; the caller retries next round.
 */
export async function claimBuildNumber(db: Db, runId: string, jobName: string, buildNumber: number): Promise<boolean> {
  const holder = await db.restoreRun.findUnique({
    where: { jobName_buildNumber: { jobName, buildNumber } },
    select: { id: true, status: true },
  });
  if (!holder || holder.id === runId) return true;
  if (isOpenStatus(holder.status)) return false;
  await db.restoreRun.updateMany({
    where: { id: holder.id, jobName, buildNumber, status: { notIn: [...OPEN_STATUSES] } },
    data: { buildNumber: null },
  });
  return true;
}

/**
 * Whether a finished run that recorded a build's number (or queue id, which restarts too) cannot
 * be the build Jenkins lists under it now: that build started after the run had finished, and
 * not at the moment the run's own build started (both times come from Jenkins' clock).
 */
export function isStaleHolder(holder: { status: string; startedAt: Date | null; finishedAt: Date | null }, buildStartedAt: Date): boolean {
  const started = buildStartedAt.getTime();
  return (
    !isOpenStatus(holder.status) &&
    holder.finishedAt !== null &&
    started > holder.finishedAt.getTime() &&
    holder.startedAt?.getTime() !== started
  );
}
