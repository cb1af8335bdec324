import type { Db } from "@/lib/db/client";
import { describeWhen, nextRuns } from "@/lib/schedules/cron";
import { whenOfRow } from "@/lib/schedules/schema";
import { formatInZone, type ScheduleRowView } from "@/lib/schedules/view";
import { runParametersSchema } from "@/lib/validation/run";

// The home page's "Scheduled Restores" table shows the first rows only: with 1,000 schedules,
// listing them all (one last-run lookup each) would cost more than the rest of the dashboard.
// The rows look exactly like those of /schedules (lib/schedules/view.ts), which lists them all.

export const DASHBOARD_SCHEDULE_ROWS = 20;

export async function firstScheduleRows(db: Db, limit = DASHBOARD_SCHEDULE_ROWS, now = new Date()): Promise<{ rows: ScheduleRowView[]; total: number }> {
  const [total, schedules] = await Promise.all([db.schedule.count(), db.schedule.findMany({ orderBy: { name: "asc" }, take: limit })]);
  const lastRuns = await Promise.all(
    schedules.map((s) => db.restoreRun.findFirst({ where: { scheduleId: s.id }, orderBy: { createdAt: "desc" }, select: { id: true, createdAt: true, startedAt: true, status: true } })),
  );
  const rows = schedules.map((row, i): ScheduleRowView => {
    const when = whenOfRow(row);
    const params = runParametersSchema.safeParse(JSON.parse(row.parameters));
    const last = lastRuns[i] ?? null;
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
      lastSuccessful: last ? (last.status === "passed" ? true : last.status === "queued" || last.status === "running" ? null : false) : null,
      missedSince: row.missedSince ? formatInZone(row.missedSince, when.timeZone) : null,
      drift: row.drift,
    };
  });
  return { rows, total };
}
