"use client";

import { dateTimeFormat } from "@/lib/shared/intl";
import { formatSeriesValue, type SeriesKind } from "@/lib/stats/format";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface SeriesLine {
  name: string;
  /** x: the run's time (ms since epoch); y: its value. */
  points: { x: number; y: number }[];
}

const COLORS = ["#1f5fbf", "#c62828", "#2e7d32", "#ef8f00", "#6a3fb5"];

/** One line per schedule over time. The figure around it carries the same numbers as a table. */
export function SeriesChart({
  lines,
  kind,
  timeZone,
  summary,
}: {
  lines: SeriesLine[];
  kind: SeriesKind;
  timeZone: string;
  summary: string;
}) {
  const day = dateTimeFormat("en-CA", { timeZone, month: "2-digit", day: "2-digit" });
  const when = dateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return (
    <div role="img" aria-label={summary} style={{ width: "100%", height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(x: number) => day.format(x)}
            fontSize={12}
          />
          <YAxis dataKey="y" tickFormatter={(y: number) => formatSeriesValue(kind, y)} fontSize={12} width={80} />
          <Tooltip labelFormatter={(x) => when.format(Number(x))} formatter={(y) => formatSeriesValue(kind, Number(y))} />
          <Legend />
          {lines.map((line, i) => (
            <Line
              key={line.name}
              data={line.points}
              dataKey="y"
              name={line.name}
              stroke={COLORS[i % COLORS.length]}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
