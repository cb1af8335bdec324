import type { Db } from "@/lib/db/client";
import { dayRangeUtc } from "@/lib/shared/date-range";
import { CURSOR_PATTERN, type ResultsFilters } from "./filters";

export const RESULTS_PAGE_SIZE = 50;
/** Rows per database read while exporting: big enough to be quick, small enough to stream. */
export const EXPORT_BATCH_SIZE = 1000;

export interface RunCursor {
  createdAt: Date;
  id: string;
}

export const encodeRunCursor = (c: RunCursor) => `${c.createdAt.getTime()}_${c.id}`;

export function decodeRunCursor(raw: string | undefined): RunCursor | null {
  const m = raw ? CURSOR_PATTERN.exec(raw) : null;
  return m ? { createdAt: new Date(Number(m[1])), id: m[2]! } : null;
}

type RunWhere = NonNullable<NonNullable<Parameters<Db["restoreRun"]["findMany"]>[0]>["where"]>;

/** The filters as a Prisma condition; no filter matches every run. */
export function runsWhere(filters: ResultsFilters): RunWhere {
  const createdAt = dayRangeUtc(filters.from, filters.to, filters.tz);
  const where: RunWhere = {};
  if (createdAt.gte || createdAt.lt) where.createdAt = createdAt;
  if (filters.status) where.status = filters.status;
  if (filters.schedule) where.scheduleId = filters.schedule;
  if (filters.dbType) where.dbType = filters.dbType;
  if (filters.host) where.backupHost = filters.host;
  if (filters.startedBy) where.startedByEmail = filters.startedBy;
  if (filters.backup) where.reasonCode = filters.backup === "stale" ? "BACKUP_STALE" : "BACKUP_MISSING";
  return where;
}

const LIST_FIELDS = {
  id: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  status: true,
  source: true,
  dbType: true,
  backupHost: true,
  backupPath: true,
  scheduleId: true,
  schedule: { select: { name: true } },
  startedByEmail: true,
  agent: true,
  durationMs: true,
  failedStage: true,
  reasonCode: true,
  reason: true,
  totalRows: true,
  backupBytes: true,
  alarm: true,
} as const;

/**
 * Newest first, keyset-paged on (createdAt, id): a page starts strictly after the cursor's row,
 * so rows that share a timestamp are neither repeated nor skipped, and deep pages cost what the
 * first does. (The [createdAt] and [status, createdAt] indexes serve it.)
 */
export async function resultsPage(db: Db, filters: ResultsFilters, cursor: RunCursor | null, size = RESULTS_PAGE_SIZE) {
  const filtered = runsWhere(filters);
  const where: RunWhere = cursor
    ? // The redundant `createdAt <= cursor` gives the database an index range to seek to; the OR alone can make it scan.
      {
        AND: [
          filtered,
          { createdAt: { lte: cursor.createdAt } },
          { OR: [{ createdAt: { lt: cursor.createdAt } }, { id: { lt: cursor.id } }] },
        ],
      }
    : filtered;
  const rows = await db.restoreRun.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
    select: LIST_FIELDS,
  });
  const runs = rows.slice(0, size);
  const last = runs.at(-1);
  return { runs, next: rows.length > size && last ? encodeRunCursor(last) : null };
}

export type ResultRow = Awaited<ReturnType<typeof resultsPage>>["runs"][number];

/** Every matching run, one keyset page at a time (never the whole set in memory). */
export async function* allResults(db: Db, filters: ResultsFilters, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ResultRow[]> {
  let cursor: RunCursor | null = null;
  for (;;) {
    const { runs, next }: { runs: ResultRow[]; next: string | null } = await resultsPage(db, filters, cursor, batchSize);
    if (runs.length > 0) yield runs;
    if (!next) return;
    const last = runs.at(-1)!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
}
