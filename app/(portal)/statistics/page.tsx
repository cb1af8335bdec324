import type { Metadata } from "next";
import Link from "next/link";
import { DateRangeFields } from "@/components/date-range-fields";
import { Field } from "@/components/field";
import { db } from "@/lib/db/client";
import { sharedRead } from "@/lib/db/shared-read";
import { ScheduleSelect } from "@/components/schedule-select";
import { scheduleChoices, statisticsForQuery } from "@/lib/stats/query";
import { StatisticsView } from "./statistics-view";

export const metadata: Metadata = { title: "Statistics" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

// Reads counts from the database only (lib/stats): never a Jenkins call, never the runs themselves.
export default async function StatisticsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  // Read once: the filter lists the schedules and the counts name them.
  // Both are the same for every user: shared while the database is unchanged (lib/db/shared-read.ts).
  const schedules = await sharedRead(db, "schedule-choices", () => scheduleChoices(db));
  const result = await sharedRead(db, `statistics:${JSON.stringify(raw)}`, () => statisticsForQuery(db, raw, new Date(), schedules));
  const errors = result.ok ? {} : result.errors;
  const text = (key: string) => (typeof raw[key] === "string" ? raw[key] : "");
  // The form shows the range counted, defaults included.
  const shown = result.ok ? { ...raw, from: result.statistics.filters.from, to: result.statistics.filters.to } : raw;

  return (
    <>
      <h1>Statistics</h1>
      <p className="muted">
        Success rate = passed ÷ (passed + failed + could not verify). Aborted runs, runs that never started and runs still open are counted
        in the totals but not in the rate. Dates are days in your time zone ({result.ok ? result.statistics.filters.tz : "UTC"}), both ends
        included; without dates, the last 30 days.
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
      {result.ok ? (
        <StatisticsView stats={result.statistics} />
      ) : (
        <div className="panel empty">Fix the filters above to see statistics.</div>
      )}
    </>
  );
}
