import type { Db } from "@/lib/db/client";
import { describeDrop, type ShrinkAlarm, type ShrinkDrop } from "./alarm";
import { SHRINK_THRESHOLD_DEFAULT } from "@/lib/validation/choices";
import { restoreReportSchema } from "./report";

// The shrinking-backup alarm: a scheduled run that passed is compared with the last passed run
// of the same schedule. The backup's size or the total row count dropping by MORE than the
// schedule's threshold, or a table that was there and is gone, raises the alarm; the schedule
// says whether that fails the run or only warns.
//
// A one-off run (no schedule) is compared with the last passed run of the same backup source —
// the same host, path (or directory and pattern) and database type, scheduled or not — with the
// default threshold, and only warns: a one-off has no setting that could make it fail.
//
// Baseline: the last run of the schedule with status "passed" that finished before this one.
// A run the alarm failed is not "passed", so a shrunken backup does not become the baseline the
// next run is measured against; a run it only warned about is "passed", and does.

export const BACKUP_SHRANK = "BACKUP_SHRANK";

export interface ShrinkSettings {
  /** Alarm when a drop is strictly more than this many per cent. */
  thresholdPct: number;
  failsRun: boolean;
}

/** What one run restored, as far as the comparison needs it. */
export interface ShrinkSample {
  runId: string;
  finishedAt?: Date | null;
  backupBytes: bigint | number | null;
  totalRows: bigint | number | null;
  /** The report's tables; null when unknown (no readable report): then no table counts as gone. */
  tables: { schema: string; name: string; rows: number }[] | null;
}

const toBig = (v: bigint | number | null): bigint | null => (v === null ? null : typeof v === "bigint" ? v : BigInt(Math.trunc(v)));

/** Per-cent numbers scaled by 1000, so that the threshold test is exact integer arithmetic. */
const SCALE = 1000n;

/**
 * A drop of `before → after`, or null when there is none above the threshold. "More than 20 %"
 * is decided in integers: (before − after) × 100 > threshold × before, so that exactly 20 % is
 * never taken for 20.000000000000004 % (which 0.2 * 100 is in floating point).
 */
function dropOf(kind: "backup-bytes" | "total-rows", before: bigint | null, after: bigint | null, thresholdPct: number): ShrinkDrop | null {
  // Nothing to shrink from (or unknown): a zero baseline cannot drop.
  if (before === null || after === null || before <= 0n || after >= before) return null;
  const threshold = BigInt(Math.round(thresholdPct * Number(SCALE)));
  if ((before - after) * 100n * SCALE <= threshold * before) return null;
  // Multiply before dividing: both are exact integers, so the quotient is the correctly rounded per cent.
  const dropPct = (Number(before - after) * 100) / Number(before);
  return { kind, before: Number(before), after: Number(after), dropPct };
}

const tableKey = (t: { schema: string; name: string }) => `${t.schema}\u0000${t.name}`;
const tableName = (t: { schema: string; name: string }) => (t.schema ? `${t.schema}.${t.name}` : t.name);

/** The alarm for `current` against `previous` (the last passed run of the schedule), or null. */
export function evaluateShrink(
  previous: ShrinkSample | null,
  current: ShrinkSample,
  settings: ShrinkSettings,
  comparedBy: "schedule" | "source" = "schedule",
): ShrinkAlarm | null {
  if (!previous) return null;
  const drops: ShrinkDrop[] = [];
  const rows = dropOf("total-rows", toBig(previous.totalRows), toBig(current.totalRows), settings.thresholdPct);
  if (rows) drops.push(rows);
  const bytes = dropOf("backup-bytes", toBig(previous.backupBytes), toBig(current.backupBytes), settings.thresholdPct);
  if (bytes) drops.push(bytes);
  if (previous.tables && current.tables) {
    const now = new Set(current.tables.map(tableKey));
    for (const t of previous.tables) if (!now.has(tableKey(t))) drops.push({ kind: "table-gone", table: tableName(t), rows: t.rows });
    const rowsNow = new Map(current.tables.map((t) => [tableKey(t), t.rows]));
    for (const t of previous.tables)
      if (t.rows > 0 && rowsNow.get(tableKey(t)) === 0) drops.push({ kind: "table-emptied", table: tableName(t), rows: t.rows });
  }
  if (drops.length === 0) return null;
  return {
    mode: settings.failsRun ? "fail" : "warn",
    thresholdPct: settings.thresholdPct,
    comparedWithRunId: previous.runId,
    ...(previous.finishedAt ? { comparedWithAt: previous.finishedAt.toISOString() } : {}),
    comparedBy,
    drops,
    summary: `Backup shrank against the last passed run${comparedBy === "source" ? " of the same backup" : ""}: ${drops.map((d) => describeDrop(d)).join("; ")}.`,
  };
}

/** A run's sample from its row (the stored report gives the tables). */
function sampleOf(run: {
  id: string;
  finishedAt: Date | null;
  backupBytes: bigint | null;
  totalRows: bigint | null;
  report: string | null;
}): ShrinkSample {
  return {
    runId: run.id,
    finishedAt: run.finishedAt,
    backupBytes: run.backupBytes,
    totalRows: run.totalRows,
    tables: tablesOf(run.report),
  };
}

function tablesOf(raw: string | null | undefined): ShrinkSample["tables"] {
  if (!raw) return null;
  try {
    const parsed = restoreReportSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.tables : null;
  } catch {
    return null;
  }
}

/** The schedule fields an alarm needs: its settings, and whom and what to mail. */
export interface AlarmSchedule {
  id: string;
  name: string;
  notifyEmails: string;
  shrinkThresholdPct: number;
  shrinkFailsRun: boolean;
}

/** What a closing would store, as the comparison reads it. */
export interface ClosingSample {
  status: string;
  report?: string;
  backupBytes?: bigint | null;
  totalRows?: bigint | null;
  finishedAt: Date;
}

/** The one-off alarm's settings: the default threshold, and a warning (the run keeps its verdict). */
const ONE_OFF_SETTINGS: ShrinkSettings = { thresholdPct: SHRINK_THRESHOLD_DEFAULT, failsRun: false };

const BASELINE_SELECT = { id: true, finishedAt: true, backupBytes: true, totalRows: true, report: true } as const;

/**
 * The alarm for a run about to close with `closing`, or null: only a passed run with a report is
 * compared — a scheduled run against the last passed run of its schedule (whatever file it chose),
 * a one-off run against the last passed run of the same backup source — never with itself.
 * `schedule` is null for a one-off run (nobody to mail; the run page shows the warning).
 */
export async function shrinkAlarmForClosing(
  db: Db,
  runId: string,
  closing: ClosingSample,
): Promise<{ alarm: ShrinkAlarm; schedule: AlarmSchedule | null } | null> {
  if (closing.status !== "passed" || !closing.report) return null;
  const run = await db.restoreRun.findUnique({
    where: { id: runId },
    select: { scheduleId: true, schedule: true, backupHost: true, backupPath: true, dbType: true },
  });
  if (!run) return null;
  const schedule = run.schedule;
  const earlier = { status: "passed", id: { not: runId }, finishedAt: { lt: closing.finishedAt } };
  const previous = await db.restoreRun.findFirst({
    where: schedule ? { ...earlier, scheduleId: schedule.id } : { ...earlier, ...backupSourceOf(run) },
    orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
    select: BASELINE_SELECT,
  });
  if (!previous) return null;
  const current: ShrinkSample = {
    runId,
    finishedAt: closing.finishedAt,
    backupBytes: closing.backupBytes ?? null,
    totalRows: closing.totalRows ?? null,
    tables: tablesOf(closing.report),
  };
  const settings = schedule ? { thresholdPct: schedule.shrinkThresholdPct, failsRun: schedule.shrinkFailsRun } : ONE_OFF_SETTINGS;
  const alarm = evaluateShrink(sampleOf(previous), current, settings, schedule ? "schedule" : "source");
  return alarm ? { alarm, schedule } : null;
}

/**
 * A run's backup source: host, path and database type. When a run names a directory and a pattern
 * (issue 14 item 1), BACKUP_PATH holds them and this stays the one place that says what "the same
 * backup" is.
 */
export function backupSourceOf(run: { backupHost: string; backupPath: string; dbType: string }) {
  return { backupHost: run.backupHost, backupPath: run.backupPath, dbType: run.dbType };
}
