import { statusDisplay } from "@/lib/runs/status";
import { formatSeriesValue, type SeriesKind } from "@/lib/stats/format";
import type { Statistics } from "@/lib/stats/query";
import { runTimeFormat } from "./count-tables";

type Point = Statistics["series"]["points"][number];

interface SeriesTableProps {
  stats: Statistics;
  kind: SeriesKind;
  pick: (p: Point) => number | null;
  caption: string;
}

/** One chart over time as a table: each run with a value, its schedule and verdict. */
export function SeriesTable({ stats, kind, pick, caption }: SeriesTableProps) {
  const when = runTimeFormat(stats.filters.tz);
  const names = new Map(stats.series.schedules.map((s) => [s.id, s.name]));
  const rows = stats.series.points.filter((p) => pick(p) !== null);
  return (
    <table aria-label={caption}>
      <thead>
        <tr>
          <th scope="col">Run ({stats.filters.tz})</th>
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
            <td>{statusDisplay(p.status).label}</td>
            <td className="num">{formatSeriesValue(kind, pick(p)!)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
