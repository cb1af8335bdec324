import type { Db } from "@/lib/db/client";
import { parseAlarm, type ShrinkAlarm } from "@/lib/runs/alarm";
import { FAILURE_VERDICTS } from "@/lib/runs/status";

// The newest failures and shrink alarms of the last 30 days. Both read backwards along an index
// on createdAt and stop at `limit` rows; the 30-day floor bounds the walk when such runs are rare.

export interface RecentRun {
  id: string;
  createdAt: Date;
  status: string;
  backupHost: string;
  backupPath: string;
  schedule: { id: string; name: string } | null;
}

export interface RecentFailure extends RecentRun {
  reason: string | null;
  reasonCode: string | null;
  failedStage: string | null;
}

export interface RecentAlarm extends RecentRun {
  /** null when the stored alarm cannot be read: the run is listed all the same. */
  alarm: ShrinkAlarm | null;
}

const runColumns = { id: true, createdAt: true, status: true, backupHost: true, backupPath: true, scheduleId: true } as const;

function withSchedule<T extends { scheduleId: string | null }>(row: T, names: Map<string, string>) {
  const { scheduleId, ...rest } = row;
  const name = scheduleId ? names.get(scheduleId) : undefined;
  return { ...rest, schedule: scheduleId && name !== undefined ? { id: scheduleId, name } : null };
}

export async function recentFailures(
  db: Db,
  names: Map<string, string>,
  options: { since: Date; now: Date; limit: number },
): Promise<RecentFailure[]> {
  const rows = await db.restoreRun.findMany({
    where: { status: { in: [...FAILURE_VERDICTS] }, createdAt: { gte: options.since, lte: options.now } },
    select: { ...runColumns, reason: true, reasonCode: true, failedStage: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit,
  });
  return rows.map((row) => withSchedule(row, names));
}

export async function recentAlarms(
  db: Db,
  names: Map<string, string>,
  options: { since: Date; now: Date; limit: number },
): Promise<RecentAlarm[]> {
  const rows = await db.restoreRun.findMany({
    where: { alarm: { not: null }, createdAt: { gte: options.since, lte: options.now } },
    select: { ...runColumns, alarm: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit,
  });
  return rows.map(({ alarm, ...row }) => ({ ...withSchedule(row, names), alarm: parseAlarm(alarm) }));
}
