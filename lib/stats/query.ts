import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/sqlite/client";
import { BACKUP_PROBLEM_CODES } from "@/lib/runs/selection";
import { RUN_STATUSES, VERDICTS } from "@/lib/runs/status";
import { parseStatisticsFilters, type StatisticsFilters } from "./filters";
import { bucketsFor, type BucketUnit } from "./periods";

// Statistics are counted by the database and only the counts come back: one statement for the
// verdicts per day (or week), one for the per-schedule table, one bounded read for the charts
// over time, and the schedule names. Nothing here asks Jenkins. lib/stats/README.md has the why.

/** Schedules drawn in the charts over time when no schedule is chosen: the busiest ones. */
export const SERIES_SCHEDULES = 5;
/** The newest runs of those schedules read for the charts over time (those with a verdict are drawn and listed). */
export const SERIES_POINTS = 300;

export interface Counts {
  total: number;
  passed: number;
  failed: number;
  couldNotVerify: number;
  aborted: number;
  failedToStart: number;
  /** Queued or running. */
  open: number;
}

export interface PeriodRow extends Counts {
  first: string;
  last: string;
  successRate: number | null;
}

export interface ScheduleRow extends Counts {
  /** null: runs started by hand, not by a schedule. */
  id: string | null;
  name: string;
  successRate: number | null;
  lastRunAt: Date | null;
}

export interface SeriesPoint {
  scheduleId: string;
  at: Date;
  status: string;
  durationMs: number | null;
  backupBytes: number | null;
  totalRows: number | null;
}

export interface Statistics {
  filters: StatisticsFilters;
  unit: BucketUnit;
  totals: Counts & { successRate: number | null };
  periods: PeriodRow[];
  /** Worst success rate first, then busiest. */
  schedules: ScheduleRow[];
  series: { schedules: { id: string; name: string }[]; points: SeriesPoint[]; capped: boolean };
  /** Runs that failed because the newest backup was too old (BACKUP_STALE) or absent (BACKUP_MISSING). */
  backupProblems: { stale: number; missing: number };
}

const emptyCounts = (): Counts => ({ total: 0, passed: 0, failed: 0, couldNotVerify: 0, aborted: 0, failedToStart: 0, open: 0 });

function addStatus(counts: Counts, status: string, n: number) {
  counts.total += n;
  if (status === "passed") counts.passed += n;
  else if (status === "failed") counts.failed += n;
  else if (status === "could-not-verify") counts.couldNotVerify += n;
  else if (status === "aborted") counts.aborted += n;
  else if (status === "failed-to-start") counts.failedToStart += n;
  else counts.open += n;
}

/** passed / (passed + failed + could-not-verify); null when none of those happened. */
export function successRate(c: Pick<Counts, "passed" | "failed" | "couldNotVerify">): number | null {
  const rated = c.passed + c.failed + c.couldNotVerify;
  return rated === 0 ? null : c.passed / rated;
}

// Raw results differ by driver (BigInt or number counts; SQLite hands back DateTime as text).
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

const scheduleCondition = (filters: StatisticsFilters) =>
  filters.schedule ? Prisma.sql` AND "scheduleId" = ${filters.schedule}` : Prisma.empty;

/**
 * Verdict counts per bucket: one COUNT per bucket, glued with UNION ALL into one statement.
 * `status IN (every status)` lets the planner answer each from the (status, createdAt) index
 * alone, without reading rows; the bucket edges are local midnights computed here, so days
 * follow the user's time zone (DST included) with nothing zone-aware in SQL.
 */
async function countsPerBucket(db: Db, filters: StatisticsFilters, edges: { gte: Date; lt: Date }[]) {
  // Our own constants, written into the text: as ~60 bound values a bucket they cost Prisma more
  // time than the database takes to count.
  const statuses = Prisma.raw(RUN_STATUSES.map((status) => `'${status}'`).join(", "));
  const branches = edges.map(
    (b, i) =>
      Prisma.sql`SELECT ${Prisma.raw(String(i))} AS bucket, "status", COUNT(*) AS n FROM "RestoreRun" WHERE "status" IN (${statuses}) AND "createdAt" >= ${b.gte} AND "createdAt" < ${b.lt}${scheduleCondition(filters)} GROUP BY "status"`,
  );
  const rows = await db.$queryRaw<{ bucket: unknown; status: string; n: unknown }[]>(Prisma.join(branches, " UNION ALL "));
  return rows.map((r) => ({ bucket: num(r.bucket), status: r.status, n: num(r.n) }));
}

/** One row per schedule (and one for runs without a schedule) over the whole range. */
async function countsPerSchedule(db: Db, filters: StatisticsFilters, gte: Date, lt: Date) {
  const count = (status: string) => Prisma.sql`SUM(CASE WHEN "status" = ${status} THEN 1 ELSE 0 END)`;
  const rows = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    SELECT "scheduleId" AS id, COUNT(*) AS total, ${count("passed")} AS passed, ${count("failed")} AS failed,
      ${count("could-not-verify")} AS cnv, ${count("aborted")} AS aborted, ${count("failed-to-start")} AS fts, MAX("createdAt") AS last
    FROM "RestoreRun" WHERE "createdAt" >= ${gte} AND "createdAt" < ${lt}${scheduleCondition(filters)}
    GROUP BY "scheduleId"`);
  return rows.map((r) => {
    const counts: Counts = {
      total: num(r.total),
      passed: num(r.passed),
      failed: num(r.failed),
      couldNotVerify: num(r.cnv),
      aborted: num(r.aborted),
      failedToStart: num(r.fts),
      open: 0,
    };
    counts.open = counts.total - counts.passed - counts.failed - counts.couldNotVerify - counts.aborted - counts.failedToStart;
    return { id: (r.id as string | null) ?? null, counts, lastRunAt: date(r.last) };
  });
}

/** How many runs of the range failed BACKUP_STALE and BACKUP_MISSING (the reasons are our constants). */
async function backupProblemCounts(db: Db, filters: StatisticsFilters, gte: Date, lt: Date) {
  const codes = Prisma.raw(BACKUP_PROBLEM_CODES.map((code) => `'${code}'`).join(", "));
  const rows = await db.$queryRaw<{ code: string; n: unknown }[]>(Prisma.sql`
    SELECT "reasonCode" AS code, COUNT(*) AS n FROM "RestoreRun"
    WHERE "reasonCode" IN (${codes}) AND "createdAt" >= ${gte} AND "createdAt" < ${lt}${scheduleCondition(filters)}
    GROUP BY "reasonCode"`);
  const count = (code: (typeof BACKUP_PROBLEM_CODES)[number]) => num(rows.find((r) => r.code === code)?.n ?? 0);
  return { stale: count("BACKUP_STALE"), missing: count("BACKUP_MISSING") };
}

/**
 * Every schedule's id and name, by name: the filter's choices and the table's names. A raw read:
 * for a thousand schedules Prisma's findMany spends ten times longer than the query.
 */
export async function scheduleChoices(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db.$queryRaw<{ id: string; name: string }[]>`SELECT "id", "name" FROM "Schedule"`;
  return rows.map((r) => ({ id: String(r.id), name: String(r.name) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** `known`: every schedule's id and name, when the caller has already read them (the page lists them in its filter). */
export async function loadStatistics(db: Db, filters: StatisticsFilters, known?: { id: string; name: string }[]): Promise<Statistics> {
  const { unit, buckets } = bucketsFor(filters.from, filters.to, filters.tz);
  const gte = buckets[0]!.gte;
  const lt = buckets.at(-1)!.lt;

  const [bucketRows, scheduleRows, backupProblems] = await Promise.all([
    countsPerBucket(db, filters, buckets),
    countsPerSchedule(db, filters, gte, lt),
    backupProblemCounts(db, filters, gte, lt),
  ]);

  const periods = buckets.map((b) => ({ first: b.first, last: b.last, counts: emptyCounts() }));
  const totals = emptyCounts();
  for (const row of bucketRows) {
    addStatus(periods[row.bucket]!.counts, row.status, row.n);
    addStatus(totals, row.status, row.n);
  }

  const names = new Map((known ?? (await scheduleChoices(db))).map((s) => [s.id, s.name]));
  const schedules: ScheduleRow[] = scheduleRows
    .map((r) => ({
      id: r.id,
      name: r.id ? (names.get(r.id) ?? r.id) : "No schedule (started by hand)",
      ...r.counts,
      successRate: successRate(r.counts),
      lastRunAt: r.lastRunAt,
    }))
    .sort((a, b) => (a.successRate ?? 2) - (b.successRate ?? 2) || b.total - a.total || a.name.localeCompare(b.name));

  const seriesSchedules = schedules
    .filter((s): s is ScheduleRow & { id: string } => s.id !== null)
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
    .slice(0, filters.schedule ? 1 : SERIES_SCHEDULES)
    .map((s) => ({ id: s.id, name: s.name }));
  const seriesRows =
    seriesSchedules.length === 0
      ? []
      : await db.restoreRun.findMany({
          // No status condition: with one, the planner walks the (status, createdAt) index and
          // reads every run in range; without, the (scheduleId, createdAt) index finds just these.
          where: { scheduleId: { in: seriesSchedules.map((s) => s.id) }, createdAt: { gte, lt } },
          select: { scheduleId: true, createdAt: true, status: true, durationMs: true, backupBytes: true, totalRows: true },
          orderBy: { createdAt: "desc" },
          take: SERIES_POINTS + 1,
        });
  const points: SeriesPoint[] = seriesRows
    .slice(0, SERIES_POINTS)
    .filter((r) => (VERDICTS as readonly string[]).includes(r.status))
    .reverse()
    .map((r) => ({
      scheduleId: r.scheduleId!,
      at: r.createdAt,
      status: r.status,
      durationMs: r.durationMs,
      backupBytes: r.backupBytes === null ? null : Number(r.backupBytes),
      totalRows: r.totalRows === null ? null : Number(r.totalRows),
    }));

  return {
    filters,
    unit,
    totals: { ...totals, successRate: successRate(totals) },
    periods: periods.map((p) => ({ first: p.first, last: p.last, ...p.counts, successRate: successRate(p.counts) })),
    schedules,
    series: { schedules: seriesSchedules, points, capped: seriesRows.length > SERIES_POINTS },
    backupProblems,
  };
}

export type StatisticsResult = { ok: true; statistics: Statistics } | { ok: false; errors: Record<string, string[]> };

/**
 * The page's one call: the query checked (also that the chosen schedule exists), then counted.
 * `schedules`: every schedule's id and name, when the caller has them (scheduleChoices), so they
 * are read once per page view.
 */
export async function statisticsForQuery(
  db: Db,
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  now = new Date(),
  schedules?: { id: string; name: string }[],
): Promise<StatisticsResult> {
  const parsed = parseStatisticsFilters(params, now);
  if (!parsed.ok) return parsed;
  const { schedule } = parsed.filters;
  const exists = async (id: string) =>
    schedules ? schedules.some((s) => s.id === id) : Boolean(await db.schedule.findUnique({ where: { id }, select: { id: true } }));
  if (schedule && !(await exists(schedule))) {
    return { ok: false, errors: { schedule: ["That schedule does not exist (any more): choose one from the list."] } };
  }
  return { ok: true, statistics: await loadStatistics(db, parsed.filters, schedules) };
}
