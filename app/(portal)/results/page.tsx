import type { Metadata } from "next";
import { startedByLabel } from "@/lib/runs/started-by-label";
import Link from "next/link";
import { Field } from "@/components/field";
import { db } from "@/lib/db/client";
import { sharedRead } from "@/lib/db/shared-read";
import { parseResultsFilters, type ResultsFilters } from "@/lib/results/filters";
import { filtersQuery } from "@/lib/shared/filter-params";
import { decodeRunCursor, resultsPage, type ResultRow } from "@/lib/results/query";
import { StatusBadge } from "@/components/status-badge";
import { RUN_STATUS_DISPLAY, RUN_STATUSES } from "@/lib/runs/status";
import { DB_TYPE_LABELS, DB_TYPES } from "@/lib/validation/run";
import { DateRangeFields } from "@/components/date-range-fields";
import { ScheduleSelect } from "@/components/schedule-select";
import { scheduleChoices } from "@/lib/stats/query";
import { dateTimeFormat } from "@/lib/shared/intl";

export const metadata: Metadata = { title: "Results" };

type SearchParams = Record<string, string | string[] | undefined>;

// Reads the database only: listing runs never asks Jenkins anything.
export default async function ResultsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const raw = await searchParams;
  const parsed = parseResultsFilters(raw);
  const errors = parsed.ok ? {} : parsed.errors;
  // The same raw read as Statistics: Prisma's findMany costs many times the query for hundreds of schedules.
  const schedules = await sharedRead(db, "schedule-choices", () => scheduleChoices(db));
  const text = (key: string) => (typeof raw[key] === "string" ? raw[key] : "");
  const tz = parsed.ok ? parsed.filters.tz : "UTC";

  return (
    <>
      <h1>Results</h1>
      <p className="muted">Every restore test, newest first. Dates are days in your time zone ({tz}), both ends included.</p>
      <form method="get" action="/results" className="panel" aria-label="Filter results">
        <div className="filter-grid">
          <DateRangeFields raw={raw} errors={errors} />
          <Field label="Verdict" name="status" errors={errors.status}>
            <select defaultValue={text("status")}>
              <option value="">Any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {RUN_STATUS_DISPLAY[s].label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Schedule" name="schedule" errors={errors.schedule}>
            <ScheduleSelect schedules={schedules} emptyLabel="Any" defaultValue={text("schedule")} />
          </Field>
          <Field label="Database type" name="dbType" errors={errors.dbType}>
            <select defaultValue={text("dbType")}>
              <option value="">Any</option>
              {DB_TYPES.map((t) => (
                <option key={t} value={t}>
                  {DB_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Backup host" name="host" errors={errors.host}>
            <input type="text" defaultValue={text("host")} placeholder="db1.example.com" />
          </Field>
          <Field label="Started by" name="startedBy" errors={errors.startedBy}>
            <input type="email" defaultValue={text("startedBy")} placeholder="ann@example.com" />
          </Field>
          <Field label="Backup" name="backup" errors={errors.backup}>
            <select defaultValue={text("backup")}>
              <option value="">Any</option>
              <option value="stale">Stale (older than its limit)</option>
              <option value="missing">Missing (no file matched)</option>
            </select>
          </Field>
        </div>
        {errors.tz && (
          <p className="notice error" role="alert">
            {errors.tz.join(" ")}
          </p>
        )}
        {errors.after && (
          <p className="notice error" role="alert">
            {errors.after.join(" ")}
          </p>
        )}
        <div className="actions" style={{ marginTop: "0.9rem" }}>
          <button type="submit">Filter</button>
          <Link href="/results">Clear filters</Link>
        </div>
      </form>
      {parsed.ok ? <ResultsTable filters={parsed.filters} /> : <div className="panel empty">Fix the filters above to see runs.</div>}
    </>
  );
}

async function ResultsTable({ filters }: { filters: ResultsFilters }) {
  const cursor = decodeRunCursor(filters.after);
  // The same for every user with these filters: shared while the database is unchanged (lib/db/shared-read.ts).
  const { runs, next } = await sharedRead(db, `results:${JSON.stringify(filters)}`, () => resultsPage(db, filters, cursor));
  const query = filtersQuery(filters);
  const filtered = [...query.keys()].some((k) => k !== "tz");
  const time = dateTimeFormat("en-CA", {
    timeZone: filters.tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const withCursor = (after: string) => {
    const q = new URLSearchParams(query);
    q.set("after", after);
    return `/results?${q}`;
  };

  if (runs.length === 0) {
    return (
      <div className="panel empty">
        {filtered || cursor ? (
          "No runs match these filters."
        ) : (
          <>
            No runs yet — <Link href="/runs/new">run a restore</Link>.
          </>
        )}
      </div>
    );
  }
  return (
    <>
      <div className="actions" style={{ justifyContent: "flex-end", marginBottom: "0.5rem" }}>
        <a className="button secondary" href={`/api/results/export?${query}`} download>
          Export CSV
        </a>
      </div>
      <table aria-label="Restore runs">
        <thead>
          <tr>
            <th scope="col">Created ({filters.tz})</th>
            <th scope="col">Verdict</th>
            <th scope="col">Backup</th>
            <th scope="col">Type</th>
            <th scope="col">Schedule</th>
            <th scope="col">Started by</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <ResultLine key={run.id} run={run} when={time.format(run.createdAt).replace(",", "")} />
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Result pages">
        {cursor && <Link href={`/results?${query}`}>Newest</Link>}
        {next && <Link href={withCursor(next)}>Older →</Link>}
      </nav>
    </>
  );
}

function ResultLine({ run, when }: { run: ResultRow; when: string }) {
  return (
    <tr>
      <td>
        <Link href={`/runs/${run.id}`}>
          <time dateTime={run.createdAt.toISOString()}>{when}</time>
        </Link>
      </td>
      <td>
        <StatusBadge status={run.status} />
        {run.alarm && (
          <span className="badge warning" title="The backup shrank against the schedule's last passed run">
            shrank
          </span>
        )}
        {run.reasonCode && <div className="muted">{run.reasonCode}</div>}
      </td>
      <td>
        {run.backupHost}:{run.backupPath}
      </td>
      <td>{run.dbType}</td>
      <td>{run.schedule?.name ?? "—"}</td>
      <td>{startedByLabel(run)}</td>
      <td>
        {run.durationMs === null ? "—" : `${Math.round(run.durationMs / 1000)} s`}
        {run.agent && <div className="muted">on {run.agent}</div>}
      </td>
    </tr>
  );
}
