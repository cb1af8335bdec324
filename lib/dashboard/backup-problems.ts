import type { Db } from "@/lib/db/client";
import type { BackupSelection } from "@/lib/runs/report";
import { BACKUP_PROBLEM_CODES, selectionOfReport } from "@/lib/runs/selection";

// Stale and missing backups (issue 14 item 5), as their own list on the dashboard: for each backup
// source (a schedule, or host and path of one-off runs), its newest run of the last 30 days ended
// BACKUP_STALE or BACKUP_MISSING and no later run of that source passed. Two queries whatever the
// number of runs: the problem runs (newest first, bounded), then the passed runs after the oldest.

export interface BackupProblem {
  id: string;
  createdAt: Date;
  reasonCode: "BACKUP_STALE" | "BACKUP_MISSING";
  reason: string | null;
  backupHost: string;
  backupPath: string;
  schedule: { id: string; name: string } | null;
  /** The stale file and its age (null for a missing one). */
  selection: BackupSelection | null;
}

type Source = { scheduleId: string | null; backupHost: string; backupPath: string };
const sourceKey = (r: Source) => (r.scheduleId ? `s:${r.scheduleId}` : `p:${r.backupHost}:${r.backupPath}`);

export async function backupProblems(
  db: Db,
  names: Map<string, string>,
  options: { since: Date; now: Date; limit: number },
): Promise<BackupProblem[]> {
  const rows = await db.restoreRun.findMany({
    where: { reasonCode: { in: [...BACKUP_PROBLEM_CODES] }, createdAt: { gte: options.since, lte: options.now } },
    select: {
      id: true,
      createdAt: true,
      reasonCode: true,
      reason: true,
      backupHost: true,
      backupPath: true,
      scheduleId: true,
      report: true,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit * 5,
  });
  const newest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!newest.has(sourceKey(row))) newest.set(sourceKey(row), row);
  if (newest.size === 0) return [];
  const oldest = Math.min(...[...newest.values()].map((r) => r.createdAt.getTime()));
  const passed = await db.restoreRun.findMany({
    where: { status: "passed", createdAt: { gt: new Date(oldest), lte: options.now } },
    select: { scheduleId: true, backupHost: true, backupPath: true, createdAt: true },
  });
  const lastPassed = new Map<string, number>();
  for (const p of passed) lastPassed.set(sourceKey(p), Math.max(lastPassed.get(sourceKey(p)) ?? 0, p.createdAt.getTime()));
  return [...newest.values()]
    .filter((r) => (lastPassed.get(sourceKey(r)) ?? 0) < r.createdAt.getTime())
    .slice(0, options.limit)
    .map(({ report, scheduleId, ...r }) => {
      const name = scheduleId ? names.get(scheduleId) : undefined;
      return {
        ...r,
        reasonCode: r.reasonCode === "BACKUP_STALE" ? "BACKUP_STALE" : "BACKUP_MISSING",
        schedule: scheduleId && name !== undefined ? { id: scheduleId, name } : null,
        selection: selectionOfReport(report),
      };
    });
}
