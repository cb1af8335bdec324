import type { ReactNode } from "react";
import { SeriesChart, type SeriesLine } from "@/components/charts/series-chart";
import { VerdictsChart, type VerdictBar } from "@/components/charts/verdicts-chart";
import type { SeriesKind } from "@/lib/stats/format";
import { SeriesTableDetails, type SeriesTableData } from "./series-table";

// The statistics page's figures: each chart (a client component; recharts loads on this page
// only) with a caption and its numbers as a table in <details>, for screen readers and copying
// (the per-run tables are drawn in the browser when opened: ./series-table.tsx).

interface Point {
  scheduleId: string;
  x: number;
  durationMs: number | null;
  backupBytes: number | null;
  totalRows: number | null;
}

interface StatisticsChartsProps {
  styles: { figure: string; scroll: string };
  unit: "day" | "week";
  timeZone: string;
  bars: VerdictBar[];
  verdictsSummary: string;
  verdictsTable: ReactNode;
  series: { id: string; name: string }[];
  points: Point[];
  seriesNote: string | null;
  durationTable: SeriesTableData;
  bytesTable: SeriesTableData;
  rowsTable: SeriesTableData;
}

const METRICS: {
  kind: SeriesKind;
  field: "durationMs" | "backupBytes" | "totalRows";
  title: string;
  table: "durationTable" | "bytesTable" | "rowsTable";
}[] = [
  { kind: "duration", field: "durationMs", title: "Restore duration per schedule", table: "durationTable" },
  { kind: "bytes", field: "backupBytes", title: "Backup size per schedule", table: "bytesTable" },
  { kind: "rows", field: "totalRows", title: "Total rows per schedule", table: "rowsTable" },
];

export function StatisticsCharts(props: StatisticsChartsProps) {
  const { styles } = props;
  return (
    <>
      <figure className={styles.figure} aria-labelledby="verdicts-caption">
        <figcaption id="verdicts-caption">Verdicts per {props.unit}</figcaption>
        <VerdictsChart data={props.bars} summary={props.verdictsSummary} />
        <details>
          <summary>Verdicts per {props.unit} as a table</summary>
          <div className={styles.scroll}>{props.verdictsTable}</div>
        </details>
      </figure>
      {props.seriesNote &&
        METRICS.map((metric) => {
          const lines: SeriesLine[] = props.series.map((s) => ({
            name: s.name,
            points: props.points.flatMap((p) =>
              p.scheduleId === s.id && p[metric.field] !== null ? [{ x: p.x, y: p[metric.field]! }] : [],
            ),
          }));
          const count = lines.reduce((n, l) => n + l.points.length, 0);
          const id = `${metric.kind}-caption`;
          return (
            <figure key={metric.kind} className={styles.figure} aria-labelledby={id}>
              <figcaption id={id}>
                {metric.title} <span className="muted">— {props.seriesNote}</span>
              </figcaption>
              {count === 0 ? (
                <p className="muted">No run in this range recorded it.</p>
              ) : (
                <SeriesChart
                  lines={lines.filter((l) => l.points.length > 0)}
                  kind={metric.kind}
                  timeZone={props.timeZone}
                  summary={`${metric.title}: ${count} runs of ${lines
                    .filter((l) => l.points.length > 0)
                    .map((l) => l.name)
                    .join(", ")}. The table below lists each run.`}
                />
              )}
              {count > 0 && (
                <SeriesTableDetails summary={`${metric.title} as a table`} scrollClass={styles.scroll} data={props[metric.table]} />
              )}
            </figure>
          );
        })}
    </>
  );
}
