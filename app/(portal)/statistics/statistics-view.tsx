import Link from "next/link";
import type { Statistics } from "@/lib/stats/query";
import { formatRate } from "@/lib/stats/format";
import { StatisticsCharts } from "./charts";
import { CountCells, CountHeaders, int, label, period, PeriodTable, runTimeFormat, Tile } from "./count-tables";
import { seriesTableData } from "./series-table-data";
import styles from "./statistics.module.css";

// The statistics of one filter: totals, charts with their tables, per schedule and per period.

export function StatisticsView({ stats }: { stats: Statistics }) {
  const { totals, filters } = stats;
  if (totals.total === 0) {
    return (
      <div className="panel empty" role="status">
        No runs between {filters.from} and {filters.to}
        {filters.schedule ? " for this schedule" : ""}.
      </div>
    );
  }
  const when = runTimeFormat(filters.tz);
  const unitWord = stats.unit === "day" ? "day" : "week";
  const shownSchedules = stats.schedules.slice(0, 100);

  return (
    <>
      <section aria-label="Totals">
        <dl className={styles.tiles}>
          <Tile label="Runs" value={int(totals.total)} />
          <Tile label={label("passed")} value={int(totals.passed)} />
          <Tile label={label("failed")} value={int(totals.failed)} />
          <Tile label={label("could-not-verify")} value={int(totals.couldNotVerify)} />
          <Tile label={label("aborted")} value={int(totals.aborted)} />
          <Tile label={label("failed-to-start")} value={int(totals.failedToStart)} />
          <Tile label="Open" value={int(totals.open)} />
          <Tile label="Success rate" value={formatRate(totals.successRate)} />
          <Tile label="Stale backups" value={int(stats.backupProblems.stale)} />
          <Tile label="Missing backups" value={int(stats.backupProblems.missing)} />
        </dl>
      </section>

      <StatisticsCharts
        styles={{ figure: styles.figure ?? "", scroll: styles.scroll ?? "" }}
        unit={stats.unit}
        timeZone={filters.tz}
        bars={stats.periods.map((p) => ({
          label: period(p),
          passed: p.passed,
          failed: p.failed,
          couldNotVerify: p.couldNotVerify,
          other: p.aborted + p.failedToStart + p.open,
        }))}
        verdictsSummary={`Verdicts per ${unitWord} from ${filters.from} to ${filters.to}: ${int(totals.passed)} passed, ${int(totals.failed)} failed, ${int(totals.couldNotVerify)} could not verify, ${int(totals.total - totals.passed - totals.failed - totals.couldNotVerify)} other. The table below has each ${unitWord}.`}
        verdictsTable={<PeriodTable stats={stats} caption={`Verdicts per ${unitWord}`} />}
        series={stats.series.schedules.map((s) => ({ id: s.id, name: s.name }))}
        points={stats.series.points.map((p) => ({
          scheduleId: p.scheduleId,
          x: p.at.getTime(),
          durationMs: p.durationMs,
          backupBytes: p.backupBytes,
          totalRows: p.totalRows,
        }))}
        seriesNote={
          stats.series.schedules.length === 0
            ? null
            : `${filters.schedule ? "This schedule" : stats.series.schedules.length === 1 ? "The busiest schedule" : `The ${stats.series.schedules.length} busiest schedules`}, one point per run with a verdict${stats.series.capped ? " (the newest runs only)" : ""}.`
        }
        durationTable={seriesTableData(stats, "duration", (p) => p.durationMs, "Restore duration per run")}
        bytesTable={seriesTableData(stats, "bytes", (p) => p.backupBytes, "Backup size per run")}
        rowsTable={seriesTableData(stats, "rows", (p) => p.totalRows, "Total rows per run")}
      />

      <h2>Per schedule</h2>
      <table aria-label="Per schedule">
        <thead>
          <tr>
            <th scope="col">Schedule</th>
            <CountHeaders />
            <th scope="col">Last run ({filters.tz})</th>
          </tr>
        </thead>
        <tbody>
          {shownSchedules.map((s) => (
            <tr key={s.id ?? "none"}>
              <th scope="row">{s.id ? <Link href={`/schedules/${s.id}`}>{s.name}</Link> : s.name}</th>
              <CountCells counts={s} rate={s.successRate} />
              <td>{s.lastRunAt ? when.format(s.lastRunAt).replace(",", "") : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stats.schedules.length > shownSchedules.length && (
        <p className="muted">
          The {shownSchedules.length} with the lowest success rate of {int(stats.schedules.length)} are shown; choose a schedule above to
          see any other.
        </p>
      )}

      <h2>Per {unitWord}</h2>
      <PeriodTable stats={stats} caption={`Per ${unitWord}`} />
    </>
  );
}
