import type { Metadata } from "next";
import Link from "next/link";
import { DateRangeFields } from "@/components/date-range-fields";
import { Field } from "@/components/field";
import { db } from "@/lib/db/client";
import { formatRate, formatSeriesValue, type SeriesKind } from "@/lib/stats/format";
import { scheduleChoices, statisticsForQuery, type Counts, type Statistics } from "@/lib/stats/query";
import { StatisticsCharts } from "./charts";
import styles from "./statistics.module.css";
import { ScheduleSelect } from "@/components/schedule-select";

export const metadata: Metadata = { title: "Statistics" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

// Reads counts from the database only (lib/stats): never a Jenkins call, never the runs themselves.
export default async function StatisticsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  // Read once: the filter lists the schedules and the counts name them.
  const schedules = await scheduleChoices(db);
  const result = await statisticsForQuery(db, raw, new Date(), schedules);
  const errors = result.ok ? {} : result.errors;
  const text = (key: string) => (typeof raw[key] === "string" ? raw[key] : "");
  // The form shows the range counted, defaults included.
  const shown = result.ok ? { ...raw, from: result.statistics.filters.from, to: result.statistics.filters.to } : raw;

  return (
    <>
      <h1>Statistics</h1>
      <p className="muted">
        Success rate = passed ÷ (passed + failed + could not verify). Aborted runs, runs that never started and runs still open are counted in the totals but not in the rate. Dates are days in your time zone ({result.ok ? result.statistics.filters.tz : "UTC"}), both
        ends included; without dates, the last 30 days.
      </p>
      <form method="get" action="/statistics" className="panel" aria-label="Filter statistics">
        <div className="filter-grid">
          <DateRangeFields raw={shown} errors={errors} />
          <Field label="Schedule" name="schedule" errors={errors.schedule}>
            <ScheduleSelect schedules={schedules} emptyLabel="All runs" defaultValue={text("schedule")} />
          </Field>
        </div>
        {errors.tz && (
          <p className="notice error" role="alert">
            {errors.tz.join(" ")}
          </p>
        )}
        <div className="actions" style={{ marginTop: "0.9rem" }}>
          <button type="submit">Show</button>
          <Link href="/statistics">Last 30 days, all runs</Link>
        </div>
      </form>
      {result.ok ? <StatisticsView stats={result.statistics} /> : <div className="panel empty">Fix the filters above to see statistics.</div>}
    </>
  );
}

const int = (n: number) => n.toLocaleString("en");
const period = (p: { first: string; last: string }) => (p.first === p.last ? p.first : `${p.first} – ${p.last}`);

function StatisticsView({ stats }: { stats: Statistics }) {
  const { totals, filters } = stats;
  if (totals.total === 0) {
    return (
      <div className="panel empty" role="status">
        No runs between {filters.from} and {filters.to}
        {filters.schedule ? " for this schedule" : ""}.
      </div>
    );
  }
  const when = new Intl.DateTimeFormat("en-CA", { timeZone: filters.tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const names = new Map(stats.series.schedules.map((s) => [s.id, s.name]));
  const unitWord = stats.unit === "day" ? "day" : "week";
  const shownSchedules = stats.schedules.slice(0, 100);

  const seriesTable = (kind: SeriesKind, pick: (p: Statistics["series"]["points"][number]) => number | null, caption: string) => {
    const rows = stats.series.points.filter((p) => pick(p) !== null);
    return (
      <table aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">Run ({filters.tz})</th>
            <th scope="col">Schedule</th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              {kind === "duration" ? "Duration" : kind === "bytes" ? "Backup size" : "Total rows"}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p, i) => (
            <tr key={i}>
              <td>{when.format(p.at).replace(",", "")}</td>
              <td>{names.get(p.scheduleId)}</td>
              <td>{p.status}</td>
              <td className="num">{formatSeriesValue(kind, pick(p)!)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  };

  return (
    <>
      <section aria-label="Totals">
        <dl className={styles.tiles}>
          <Tile label="Runs" value={int(totals.total)} />
          <Tile label="Passed" value={int(totals.passed)} />
          <Tile label="Failed" value={int(totals.failed)} />
          <Tile label="Could not verify" value={int(totals.couldNotVerify)} />
          <Tile label="Aborted" value={int(totals.aborted)} />
          <Tile label="Not started" value={int(totals.failedToStart)} />
          <Tile label="Open" value={int(totals.open)} />
          <Tile label="Success rate" value={formatRate(totals.successRate)} />
        </dl>
      </section>

      <StatisticsCharts
        styles={{ figure: styles.figure ?? "", scroll: styles.scroll ?? "" }}
        unit={stats.unit}
        timeZone={filters.tz}
        bars={stats.periods.map((p) => ({ label: period(p), passed: p.passed, failed: p.failed, couldNotVerify: p.couldNotVerify, other: p.aborted + p.failedToStart + p.open }))}
        verdictsSummary={`Verdicts per ${unitWord} from ${filters.from} to ${filters.to}: ${int(totals.passed)} passed, ${int(totals.failed)} failed, ${int(totals.couldNotVerify)} could not verify, ${int(totals.total - totals.passed - totals.failed - totals.couldNotVerify)} other. The table below has each ${unitWord}.`}
        verdictsTable={<PeriodTable stats={stats} caption={`Verdicts per ${unitWord}`} />}
        series={stats.series.schedules.map((s) => ({ id: s.id, name: s.name }))}
        points={stats.series.points.map((p) => ({ scheduleId: p.scheduleId, x: p.at.getTime(), durationMs: p.durationMs, backupBytes: p.backupBytes, totalRows: p.totalRows }))}
        seriesNote={
          stats.series.schedules.length === 0
            ? null
            : `${filters.schedule ? "This schedule" : stats.series.schedules.length === 1 ? "The busiest schedule" : `The ${stats.series.schedules.length} busiest schedules`}, one point per run with a verdict${stats.series.capped ? " (the newest runs only)" : ""}.`
        }
        durationTable={seriesTable("duration", (p) => p.durationMs, "Restore duration per run")}
        bytesTable={seriesTable("bytes", (p) => p.backupBytes, "Backup size per run")}
        rowsTable={seriesTable("rows", (p) => p.totalRows, "Total rows per run")}
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
          The {shownSchedules.length} with the lowest success rate of {int(stats.schedules.length)} are shown; choose a schedule above to see any other.
        </p>
      )}

      <h2>Per {unitWord}</h2>
      <PeriodTable stats={stats} caption={`Per ${unitWord}`} />
    </>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function CountHeaders() {
  return (
    <>
      {["Runs", "Passed", "Failed", "Could not verify", "Aborted", "Success rate"].map((h) => (
        <th key={h} scope="col" className="num">
          {h}
        </th>
      ))}
    </>
  );
}

function CountCells({ counts, rate }: { counts: Counts; rate: number | null }) {
  return (
    <>
      {[int(counts.total), int(counts.passed), int(counts.failed), int(counts.couldNotVerify), int(counts.aborted), formatRate(rate)].map((v, i) => (
        <td key={i} className="num">
          {v}
        </td>
      ))}
    </>
  );
}

function PeriodTable({ stats, caption }: { stats: Statistics; caption: string }) {
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
