import { z } from "zod";
import { formatBytes } from "@/lib/format-bytes";

// The shrinking-backup alarm stored in RestoreRun.alarm (JSON): what dropped against the last
// passed run of the same schedule, and whether the schedule made it fail the run or only warn.
// Written when a run closes (lib/runs/shrink.ts); read by the run page, the dashboard and mail.

const dropSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("backup-bytes"), before: z.number(), after: z.number(), dropPct: z.number() }),
  z.object({ kind: z.literal("total-rows"), before: z.number(), after: z.number(), dropPct: z.number() }),
  // rows: what the table held in the compared run (optional, so that readers need not rely on it).
  z.object({ kind: z.literal("table-gone"), table: z.string(), rows: z.number().optional() }),
  // A table still there but with no rows left (a Chinook whose largest table was emptied).
  z.object({ kind: z.literal("table-emptied"), table: z.string(), rows: z.number() }),
]);

export const shrinkAlarmSchema = z.object({
  mode: z.enum(["fail", "warn"]),
  thresholdPct: z.number(),
  comparedWithRunId: z.string(),
  // When the compared run finished, ISO-8601 (optional, like rows above).
  comparedWithAt: z.string().optional(),
  // What the baseline was picked by: the run's schedule, or (a one-off run) the same backup source.
  comparedBy: z.enum(["schedule", "source"]).optional(),
  drops: z.array(dropSchema).min(1),
  summary: z.string(),
});

export type ShrinkAlarm = z.output<typeof shrinkAlarmSchema>;
export type ShrinkDrop = ShrinkAlarm["drops"][number];

/** The stored alarm, or null when there is none or it cannot be read (never throws on a page). */
export function parseAlarm(raw: string | null | undefined): ShrinkAlarm | null {
  if (!raw) return null;
  try {
    const parsed = shrinkAlarmSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// An alarm in words, the same on the run page, the dashboard and in mail.

const count = (n: number) => n.toLocaleString("en");

/** "30", "12.5" or "33.33": at most two decimals, none when whole. */
export function formatPct(pct: number): string {
  return (Math.round(pct * 100) / 100).toLocaleString("en", { maximumFractionDigits: 2 });
}

/**
 * One drop in words, e.g. "total rows 10,000 → 7,000 (−30 %)". `ascii` gives "->" and "-" for
 * plain-text mail.
 */
export function describeDrop(drop: ShrinkDrop, { ascii = false }: { ascii?: boolean } = {}): string {
  const arrow = ascii ? "->" : "→";
  const minus = ascii ? "-" : "−";
  switch (drop.kind) {
    case "total-rows":
      return `total rows ${count(drop.before)} ${arrow} ${count(drop.after)} (${minus}${formatPct(drop.dropPct)} %)`;
    case "backup-bytes":
      return `backup size ${formatBytes(drop.before)} ${arrow} ${formatBytes(drop.after)} (${minus}${formatPct(drop.dropPct)} %)`;
    case "table-gone":
      return `table ${drop.table} is gone${drop.rows !== undefined ? ` (it had ${count(drop.rows)} rows)` : ""}`;
    case "table-emptied":
      return `table ${drop.table} is empty (it had ${count(drop.rows)} rows)`;
  }
}
