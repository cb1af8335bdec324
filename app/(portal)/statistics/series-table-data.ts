import type { RunStatus } from "@/lib/runs/status";
import { RUN_STATUSES } from "@/lib/runs/status";
import type { SeriesKind } from "@/lib/stats/format";
import type { Statistics } from "@/lib/stats/query";
import type { SeriesTableData } from "./series-table";

type Point = Statistics["series"]["points"][number];

/** The runs with a value for one chart, in the series' order, as the compact rows SeriesTableDetails draws. */
export function seriesTableData(stats: Statistics, kind: SeriesKind, pick: (p: Point) => number | null, caption: string): SeriesTableData {
  const names = stats.series.schedules.map((s) => s.name);
  const index = new Map(stats.series.schedules.map((s, i) => [s.id, i]));
  const rows: SeriesTableData["rows"] = [];
  for (const p of stats.series.points) {
    const value = pick(p);
    if (value === null) continue;
    rows.push([p.at.getTime(), index.get(p.scheduleId) ?? -1, RUN_STATUSES.indexOf(p.status as RunStatus), value]);
  }
  return { caption, kind, timeZone: stats.filters.tz, names, rows };
}
