import { RUN_STATUS_DISPLAY, type RunStatus } from "@/lib/runs/status";
import { formatRate } from "@/lib/stats/format";
import { dateTimeFormat, formatNumber } from "@/lib/shared/intl";
import type { Counts, Statistics } from "@/lib/stats/query";

// The statistics' figures: tiles, and the count columns shared by the per-schedule and per-period tables.

export const int = formatNumber;
export const period = (p: { first: string; last: string }) => (p.first === p.last ? p.first : `${p.first} – ${p.last}`);
export const label = (status: RunStatus) => RUN_STATUS_DISPLAY[status].label;

/** A run's start, in the statistics' time zone, as "YYYY-MM-DD HH:MM". */
export const runTimeFormat = (timeZone: string) =>
  dateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });

export function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function CountHeaders() {
  return (
    <>
      {["Runs", label("passed"), label("failed"), label("could-not-verify"), label("aborted"), "Success rate"].map((h) => (
        <th key={h} scope="col" className="num">
          {h}
        </th>
      ))}
    </>
  );
}

export function CountCells({ counts, rate }: { counts: Counts; rate: number | null }) {
  return (
    <>
      {[int(counts.total), int(counts.passed), int(counts.failed), int(counts.couldNotVerify), int(counts.aborted), formatRate(rate)].map(
        (v, i) => (
          <td key={i} className="num">
            {v}
          </td>
        ),
      )}
    </>
  );
}

export function PeriodTable({ stats, caption }: { stats: Statistics; caption: string }) {
  return (
    <table aria-label={caption}>
      <thead>
        <tr>
          <th scope="col">{stats.unit === "day" ? "Day" : "Week"}</th>
          <CountHeaders />
        </tr>
      </thead>
      <tbody>
        {stats.periods.map((p) => (
          <tr key={p.first}>
            <th scope="row">{period(p)}</th>
            <CountCells counts={p} rate={p.successRate} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <CountCells counts={stats.totals} rate={stats.totals.successRate} />
        </tr>
      </tfoot>
    </table>
  );
}
