import type { Db } from "@/lib/db/client";
import { graceMinutes as configuredGraceMinutes } from "@/lib/schedules/missed";
import { backupProblems, type BackupProblem } from "./backup-problems";
import { countsByPeriod, DAY_MS, type PeriodCounts } from "./periods";
import { recentAlarms, recentFailures, type RecentAlarm, type RecentFailure } from "./recent";
import { loadSchedules, scheduleHealth, type ScheduleHealth } from "./schedule-health";

// The home page's "at a glance": everything from the database, nothing from Jenkins, in a fixed
// number of queries whatever the number of schedules and runs (see README.md).

export const DASHBOARD_LIST_LIMIT = 10;
export const RECENT_WINDOW_DAYS = 30;

export interface Dashboard extends ScheduleHealth {
  now: Date;
  graceMinutes: number;
  periods: PeriodCounts[];
  recentFailures: RecentFailure[];
  recentAlarms: RecentAlarm[];
  /** Sources whose newest run found the backup stale or missing (./backup-problems.ts). */
  backupProblems: BackupProblem[];
}

export interface DashboardOptions {
  /** Minutes a run may be late (SCHEDULE_GRACE_MINUTES by default). */
  graceMinutes?: number;
  limit?: number;
}

export async function loadDashboard(db: Db, now = new Date(), options: DashboardOptions = {}): Promise<Dashboard> {
  const grace = options.graceMinutes ?? configuredGraceMinutes();
  const limit = options.limit ?? DASHBOARD_LIST_LIMIT;
  const recent = { since: new Date(now.getTime() - RECENT_WINDOW_DAYS * DAY_MS), now, limit };
  const schedules = await loadSchedules(db, now);
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  const [periods, health, failures, alarms, problems] = await Promise.all([
    countsByPeriod(db, now),
    scheduleHealth(db, schedules, { now, graceMinutes: grace, limit }),
    recentFailures(db, names, recent),
    recentAlarms(db, names, recent),
    backupProblems(db, names, recent),
  ]);
  return { now, graceMinutes: grace, periods, ...health, recentFailures: failures, recentAlarms: alarms, backupProblems: problems };
}
