"use client";

import { useEffect, useRef, useState } from "react";
import { RUN_STATUSES, statusDisplay } from "@/lib/runs/status";
import { formatSeriesValue, type SeriesKind } from "@/lib/stats/format";
import { dateTimeFormat } from "@/lib/shared/intl";

/** One chart's numbers, compact: [run time (ms), schedule index, RUN_STATUSES index, value] per run. */
export interface SeriesTableData {
  caption: string;
  kind: SeriesKind;
  timeZone: string;
  names: string[];
  rows: [number, number, number, number][];
}

const HEADINGS: Record<SeriesKind, string> = { duration: "Duration", bytes: "Backup size", rows: "Total rows" };

/**
 * A chart's numbers as a table inside <details>, drawn in the browser when opened: with up to
 * 300 runs per chart the three tables were most of the Statistics page's server render and bytes
 * (issue #18, bench/results/portal-load.md), for readers who rarely open them.
 */
export function SeriesTableDetails({ summary, scrollClass, data }: { summary: string; scrollClass: string; data: SeriesTableData }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  // Opened before hydration: the toggle event was missed, so read the element once.
  useEffect(() => setOpen(ref.current?.open ?? false), []);
  return (
    <details ref={ref} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      <div className={scrollClass}>{open && <SeriesTable data={data} />}</div>
    </details>
  );
}

function SeriesTable({ data }: { data: SeriesTableData }) {
  const when = dateTimeFormat("en-CA", {
    timeZone: data.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return (
    <table aria-label={data.caption}>
      <thead>
        <tr>
          <th scope="col">Run ({data.timeZone})</th>
          <th scope="col">Schedule</th>
          <th scope="col">Verdict</th>
          <th scope="col" className="num">
            {HEADINGS[data.kind]}
          </th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map(([at, schedule, status, value], i) => (
          <tr key={i}>
            <td>{when.format(at).replace(",", "")}</td>
            <td>{data.names[schedule]}</td>
            <td>{statusDisplay(RUN_STATUSES[status] ?? "").label}</td>
            <td className="num">{formatSeriesValue(data.kind, value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
