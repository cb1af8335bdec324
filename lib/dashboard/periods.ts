import { RUN_STATUSES, type RunStatus } from "@/lib/runs/status";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/sqlite/client";

// Runs by verdict over three rolling windows ending now, counted by the database from the
// (status, createdAt) index alone: no run row is read, whatever the number of runs.

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const PERIODS = [
  { key: "24h", label: "Last 24 hours", ms: DAY_MS },
  { key: "7d", label: "Last 7 days", ms: 7 * DAY_MS },
  { key: "30d", label: "Last 30 days", ms: 30 * DAY_MS },
] as const;

export type PeriodKey = (typeof PERIODS)[number]["key"];

export interface PeriodCounts {
  key: PeriodKey;
  label: string;
  /** Runs created in [since, now], both ends included. */
  since: Date;
  total: number;
  byStatus: Record<RunStatus, number>;
}

const zeroCounts = (): Record<RunStatus, number> => Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;

export async function countsByPeriod(db: Db, now: Date): Promise<PeriodCounts[]> {
  const windows = PERIODS.map((period) => ({ ...period, since: new Date(now.getTime() - period.ms) }));
  // `status IN (every status)` turns each COUNT into seven range scans of the index instead of
  // a scan of the whole index; one statement for the three windows.
  const statuses = Prisma.join([...RUN_STATUSES]);
  const branches = windows.map(
    (w, i) =>
      Prisma.sql`SELECT ${Prisma.raw(String(i))} AS "period", "status", COUNT(*) AS "n" FROM "RestoreRun" WHERE "status" IN (${statuses}) AND "createdAt" >= ${w.since} AND "createdAt" <= ${now} GROUP BY "status"`,
  );
  const rows = await db.$queryRaw<{ period: unknown; status: string; n: unknown }[]>(Prisma.join(branches, " UNION ALL "));
  const counts = windows.map((w) => ({ key: w.key, label: w.label, since: w.since, total: 0, byStatus: zeroCounts() }));
  for (const row of rows) {
    // Counts come back as BigInt (SQLite) or text/number (PostgreSQL).
    const target = counts[Number(row.period)]!;
    const n = Number(row.n);
    target.total += n;
    target.byStatus[row.status as RunStatus] += n;
  }
  return counts;
}
