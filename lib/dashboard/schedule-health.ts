import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/sqlite/client";
import { VERDICTS } from "@/lib/runs/status";
import { DAY_MS } from "./periods";

// What is wrong with the schedules right now, for 1,000 schedules × 100,000 runs without one
// query per schedule: the schedules with each one's newest verdict in one statement, the newest
// pass of those whose newest verdict was not a pass in another, then the few rows to show.

/** How often each frequency must prove its backup; the schedule's grace period is added. */
export const EXPECTED_INTERVAL_DAYS: Record<string, number> = { daily: 1, weekly: 7, monthly: 31 };

export interface ScheduleSummary {
  id: string;
  name: string;
  enabled: boolean;
  frequency: string;
  missedSince: Date | null;
  missedDueAt: Date | null;
  /** The newest passed, failed or could-not-verify run. */
  lastVerdict: LatestRun | null;
}

export interface FailingSchedule {
  id: string;
  name: string;
  /** The failed run that is the schedule's latest verdict. */
  run: { id: string; createdAt: Date; status: string; reason: string | null; reasonCode: string | null; failedStage: string | null } | null;
  failedAt: Date;
}

export interface MissedSchedule {
  id: string;
  name: string;
  missedSince: Date;
  missedDueAt: Date | null;
}

export interface UncoveredSchedule {
  id: string;
  name: string;
  frequency: string;
  /** Newest passed run, or null: never verified. */
  lastPassedAt: Date | null;
  lastPassedRunId: string | null;
  /** When the last pass stopped covering the backup (null when never verified). */
  uncoveredSince: Date | null;
}

export interface Listing<T> {
  count: number;
  /** The first `limit` of them, most urgent first. */
  items: T[];
}

export interface ScheduleHealth {
  scheduleCount: number;
  pausedCount: number;
  failing: Listing<FailingSchedule>;
  missed: Listing<MissedSchedule>;
  uncovered: Listing<UncoveredSchedule>;
}

// Raw results differ by driver: SQLite hands DateTime back as text, PostgreSQL as a Date.
const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

export interface LatestRun {
  id: string;
  status: string;
  createdAt: Date;
}

/**
 * Each schedule's newest run among `statuses` (up to `now`). A correlated subquery per schedule
 * walks the (scheduleId, createdAt) index backwards and stops at the first match: a handful of
 * rows per schedule, where a GROUP BY scheduleId would read every run of every schedule.
 */
async function latestRunPerSchedule(
  db: Db,
  statuses: readonly string[],
  range: { since?: Date; now: Date },
  onlyIds?: string[],
): Promise<Map<string, LatestRun>> {
  if (onlyIds && onlyIds.length === 0) return new Map();
  const which = onlyIds ? Prisma.sql`WHERE s."id" IN (${Prisma.join(onlyIds)})` : Prisma.empty;
  const since = range.since ? Prisma.sql` AND x."createdAt" >= ${range.since}` : Prisma.empty;
  // Built whole with Prisma.sql, then handed over: the PostgreSQL client would not splice the
  // fragments of the (SQLite-typed) Prisma namespace into its own tagged template.
  const query = Prisma.sql`
    SELECT s."id" AS "scheduleId", r."id" AS "id", r."status" AS "status", r."createdAt" AS "createdAt"
    FROM "Schedule" s JOIN "RestoreRun" r ON r."id" = (
      SELECT x."id" FROM "RestoreRun" x
      WHERE x."scheduleId" = s."id" AND x."status" IN (${Prisma.join([...statuses])}) AND x."createdAt" <= ${range.now}${since}
      ORDER BY x."createdAt" DESC LIMIT 1)
    ${which}`;
  const rows = await db.$queryRaw<{ scheduleId: string; id: string; status: string; createdAt: unknown }[]>(query);
  return new Map(rows.map((r) => [r.scheduleId, { id: r.id, status: r.status, createdAt: asDate(r.createdAt) }]));
}

const asBoolean = (v: unknown) => v === true || Number(v) === 1;
const asDateOrNull = (v: unknown) => (v === null || v === undefined ? null : asDate(v));

/**
 * Every schedule with its newest verdict (up to `now`), in one statement: the same correlated
 * subquery as above, LEFT JOINed so that schedules without a verdict come too.
 */
export async function loadSchedules(db: Db, now: Date): Promise<ScheduleSummary[]> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    SELECT s."id" AS "id", s."name" AS "name", s."enabled" AS "enabled", s."frequency" AS "frequency", s."missedSince" AS "missedSince",
      s."missedDueAt" AS "missedDueAt", r."id" AS "verdictId", r."status" AS "verdictStatus", r."createdAt" AS "verdictAt"
    FROM "Schedule" s LEFT JOIN "RestoreRun" r ON r."id" = (
      SELECT x."id" FROM "RestoreRun" x
      WHERE x."scheduleId" = s."id" AND x."status" IN (${Prisma.join([...VERDICTS])}) AND x."createdAt" <= ${now}
      ORDER BY x."createdAt" DESC LIMIT 1)`);
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    enabled: asBoolean(r.enabled),
    frequency: String(r.frequency),
    missedSince: asDateOrNull(r.missedSince),
    missedDueAt: asDateOrNull(r.missedDueAt),
    lastVerdict: r.verdictId ? { id: String(r.verdictId), status: String(r.verdictStatus), createdAt: asDate(r.verdictAt) } : null,
  }));
}

export function expectedIntervalMs(frequency: string, graceMinutes: number): number {
  return (EXPECTED_INTERVAL_DAYS[frequency] ?? 31) * DAY_MS + graceMinutes * 60_000;
}

export async function scheduleHealth(
  db: Db,
  schedules: ScheduleSummary[],
  options: { now: Date; graceMinutes: number; limit: number },
): Promise<ScheduleHealth> {
  const { now, graceMinutes, limit } = options;
  const active = schedules.filter((s) => s.enabled);
  // The newest pass is the newest verdict unless that was a failure. For those few, only a pass
  // recent enough to cover any frequency matters: looking further back could walk every run of a
  // schedule that never passed.
  const coverFloor = new Date(now.getTime() - expectedIntervalMs("monthly", graceMinutes));
  const lastPass = new Map(active.flatMap((s) => (s.lastVerdict?.status === "passed" ? [[s.id, s.lastVerdict] as const] : [])));
  const needPass = active.filter((s) => !lastPass.has(s.id)).map((s) => s.id);
  for (const [id, run] of await latestRunPerSchedule(db, ["passed"], { since: coverFloor, now }, needPass)) lastPass.set(id, run);

  // Failing now: the newest verdict is a failure.
  const failingAll = active
    .flatMap((s) => {
      const verdict = s.lastVerdict;
      return verdict && verdict.status !== "passed" ? [{ id: s.id, name: s.name, failedAt: verdict.createdAt, runId: verdict.id }] : [];
    })
    .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime() || a.name.localeCompare(b.name));
  const failingShown = failingAll.slice(0, limit);
  const failedRuns = await db.restoreRun.findMany({
    where: { id: { in: failingShown.map((f) => f.runId) } },
    select: { id: true, createdAt: true, status: true, reason: true, reasonCode: true, failedStage: true },
  });
  const failing: FailingSchedule[] = failingShown.map(({ runId, ...f }) => ({ ...f, run: failedRuns.find((r) => r.id === runId) ?? null }));

  const missedAll = active
    .flatMap((s) => (s.missedSince ? [{ id: s.id, name: s.name, missedSince: s.missedSince, missedDueAt: s.missedDueAt }] : []))
    .sort((a, b) => a.missedSince.getTime() - b.missedSince.getTime() || a.name.localeCompare(b.name));

  // Not covered: never verified, or the newest pass is older than the frequency allows. Those
  // without a pass since coverFloor come first (longest uncovered), then by age of their pass.
  const uncoveredAll = active
    .flatMap((s) => {
      const pass = lastPass.get(s.id) ?? null;
      const allowed = expectedIntervalMs(s.frequency, graceMinutes);
      return pass && now.getTime() - pass.createdAt.getTime() <= allowed ? [] : [{ schedule: s, pass, allowed }];
    })
    .sort(
      (a, b) =>
        (a.pass?.createdAt.getTime() ?? -Infinity) - (b.pass?.createdAt.getTime() ?? -Infinity) ||
        a.schedule.name.localeCompare(b.schedule.name),
    );
  const uncoveredShown = uncoveredAll.slice(0, limit);
  // For the few shown, tell "never verified" from "verified long ago".
  const olderPass = await latestRunPerSchedule(
    db,
    ["passed"],
    { now },
    uncoveredShown.filter((u) => !u.pass).map((u) => u.schedule.id),
  );
  const uncovered: UncoveredSchedule[] = uncoveredShown.map(({ schedule: s, pass: recent, allowed }) => {
    const pass = recent ?? olderPass.get(s.id) ?? null;
    return {
      id: s.id,
      name: s.name,
      frequency: s.frequency,
      lastPassedAt: pass?.createdAt ?? null,
      lastPassedRunId: pass?.id ?? null,
      uncoveredSince: pass ? new Date(pass.createdAt.getTime() + allowed) : null,
    };
  });

  return {
    scheduleCount: schedules.length,
    pausedCount: schedules.length - active.length,
    failing: { count: failingAll.length, items: failing },
    missed: { count: missedAll.length, items: missedAll.slice(0, limit) },
    uncovered: { count: uncoveredAll.length, items: uncovered },
  };
}
