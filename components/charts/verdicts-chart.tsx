"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { RUN_STATUS_DISPLAY, TONE_COLORS } from "@/lib/runs/status";

export interface VerdictBar {
  label: string;
  passed: number;
  failed: number;
  couldNotVerify: number;
  other: number;
}

const shown = (status: "passed" | "failed" | "could-not-verify") => ({
  name: RUN_STATUS_DISPLAY[status].label,
  color: TONE_COLORS[RUN_STATUS_DISPLAY[status].tone],
});
const SERIES = [
  { key: "passed", ...shown("passed") },
  { key: "failed", ...shown("failed") },
  { key: "couldNotVerify", ...shown("could-not-verify") },
  { key: "other", name: "Aborted, not started or open", color: TONE_COLORS.running },
] as const;

/** Stacked verdicts per day or week. The figure around it carries the same numbers as a table. */
export function VerdictsChart({ data, summary }: { data: VerdictBar[]; summary: string }) {
  return (
    <div role="img" aria-label={summary} style={{ width: "100%", height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="verdicts" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
