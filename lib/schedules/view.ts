import type { Db } from "@/lib/db/client";
import type { BackupSelection } from "@/lib/runs/report";
import { selectionOfReport } from "@/lib/runs/selection";
import { runParametersSchema } from "@/lib/validation/run";
import { describeWhen, nextRuns, timerSpec } from "./cron";
import { whenOfRow } from "./schema";

// What the schedule pages show, from the database only (drift is kept fresh by the watch loop;
// the detail page may also check it live).

export const HISTORY_PAGE_SIZE = 20;

/** A time shown in the schedule's own time zone, e.g. "Sun 29 Mar 2026, 02:30 (Europe/Dublin)". */
export function formatInZone(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text} (${timeZone})`;
}

export interface ScheduleRowView {
  id: string;
  name: string;
  backupPath: string;
  backupHost: string;
  dbType: string;
  enabled: boolean;
  when: string;
  nextRun: string | null;
  lastRun: { id: string; at: string; status: string } | null;
  lastSuccessful: boolean | null;
  missedSince: string | null;
  drift: string | null;
}

/**
 * The "Scheduled Restores" rows by name: all of them (/schedules) or the first `limit` (the home
 * page). Each row's last run comes from one grouped query for the whole page, not one per row.
 */
export async function listSchedules(
  db: Db,
  options: { limit?: number; now?: Date } = {},
): Promise<{ rows: ScheduleRowView[]; total: number }> {
  const now = options.now ?? new Date();
  const [total, schedules] = await Promise.all([
    db.schedule.count(),
    db.schedule.findMany({ orderBy: { name: "asc" }, ...(options.limit ? { take: options.limit } : {}) }),
  ]);
  const lastRuns = await lastRunOfEach(
    db,
    schedules.map((s) => s.id),
  );
  const rows = schedules.map((row): ScheduleRowView => {
    const when = whenOfRow(row);
    const params = runParametersSchema.safeParse(JSON.parse(row.parameters));
    const last = lastRuns.get(row.id);
    const next = row.enabled ? nextRuns(when, now, 1)[0] : undefined;
    return {
      id: row.id,
      name: row.name,
      backupPath: params.success ? params.data.backupPath : "",
      backupHost: params.success ? params.data.backupHost : "",
      dbType: params.success ? params.data.dbType : "",
      enabled: row.enabled,
      when: describeWhen(when),
      nextRun: next ? formatInZone(next, when.timeZone) : null,
      lastRun: last ? { id: last.id, at: formatInZone(last.startedAt ?? last.createdAt, when.timeZone), status: last.status } : null,
      lastSuccessful: last
        ? last.status === "passed"
          ? true
          : last.status === "queued" || last.status === "running"
            ? null
            : false
        : null,
      missedSince: row.missedSince ? formatInZone(row.missedSince, when.timeZone) : null,
      drift: row.drift,
    };
  });
  return { rows, total };
}

/** The newest run of each schedule: one grouped read on the (scheduleId, createdAt) index, then those runs. */
async function lastRunOfEach(db: Db, scheduleIds: string[]) {
  const found = new Map<string, { id: string; createdAt: Date; startedAt: Date | null; status: string }>();
  if (scheduleIds.length === 0) return found;
  const newest = await db.restoreRun.groupBy({ by: ["scheduleId"], where: { scheduleId: { in: scheduleIds } }, _max: { createdAt: true } });
  const keys = newest.flatMap((g) => (g.scheduleId && g._max.createdAt ? [{ scheduleId: g.scheduleId, createdAt: g._max.createdAt }] : []));
  if (keys.length === 0) return found;
  const runs = await db.restoreRun.findMany({
    where: { OR: keys },
    select: { id: true, scheduleId: true, createdAt: true, startedAt: true, status: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  // Two runs of one schedule created in the same millisecond: the first (highest id) wins, as findFirst would.
  for (const run of runs) if (run.scheduleId && !found.has(run.scheduleId)) found.set(run.scheduleId, run);
  return found;
}

export interface HistoryEntry {
  id: string;
  date: string;
  time: string;
  status: string;
  reason: string | null;
  durationMs: number | null;
  buildUrl: string | null;
  buildNumber: number | null;
  /** The run raised the shrinking-backup alarm (lib/runs/shrink.ts). */
  shrank: boolean;
  /** The file the run tested and its age against the limit (issue 14), from its report; null before one. */
  backup: BackupSelection | null;
}

export async function scheduleDetail(db: Db, id: string, page = 1, now = new Date()) {
  const row = await db.schedule.findUnique({ where: { id } });
  if (!row) return null;
  const when = whenOfRow(row);
  const parameters = runParametersSchema.safeParse(JSON.parse(row.parameters));
  const total = await db.restoreRun.count({ where: { scheduleId: id } });
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const runs = await db.restoreRun.findMany({
    where: { scheduleId: id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * HISTORY_PAGE_SIZE,
    take: HISTORY_PAGE_SIZE,
  });
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: when.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: when.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const history: HistoryEntry[] = runs.map((r) => {
    const at = r.startedAt ?? r.createdAt;
    return {
      id: r.id,
      date: date.format(at),
      time: time.format(at),
      status: r.status,
      reason: r.reason,
      durationMs: r.durationMs,
      buildUrl: r.buildUrl,
      buildNumber: r.buildNumber,
      shrank: r.alarm !== null,
      backup: selectionOfReport(r.report),
    };
  });
  return {
    id: row.id,
    name: row.name,
    jobName: row.jobName,
    enabled: row.enabled,
    when,
    whenText: describeWhen(when),
    timerSpec: timerSpec(when),
    nextRuns: row.enabled ? nextRuns(when, now, 3).map((t) => formatInZone(t, when.timeZone)) : [],
    parameters: parameters.success ? parameters.data : null,
    notifyEmails: row.notifyEmails,
    shrinkThresholdPct: row.shrinkThresholdPct,
    shrinkFailsRun: row.shrinkFailsRun,
    ownerEmail: row.ownerEmail,
    createdAt: row.createdAt.toISOString(),
    updatedByEmail: row.updatedByEmail,
    missedSince: row.missedSince ? formatInZone(row.missedSince, when.timeZone) : null,
    missedDueAt: row.missedDueAt ? formatInZone(row.missedDueAt, when.timeZone) : null,
    drift: row.drift,
    history,
    page: current,
    pages,
    total,
  };
}

export type ScheduleDetail = NonNullable<Awaited<ReturnType<typeof scheduleDetail>>>;
