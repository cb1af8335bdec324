import fs from "node:fs";
import os from "node:os";

// bench/restore-scale.ts's measurements and its Markdown table.

export interface RunTiming {
  agent: string;
  /** submit → the pipeline build started (Jenkins' queue, throttle included) */
  queueWaitMs: number;
  /** the pipeline build's own duration */
  buildMs: number;
  /** submit → the verdict recorded by the portal */
  totalMs: number;
}

interface Spread {
  p50: number;
  p95: number;
}

export interface LayoutResult {
  label: string;
  agents: number;
  executors: number;
  count: number;
  wallMs: number;
  perMinute: number;
  queueWait: Spread;
  build: Spread;
  total: Spread;
  byAgent: Record<string, number>;
  /** share of all cores busy while the runs went (user + system + …, not idle or iowait) */
  cpuBusy: number;
  loadBefore: number[];
  loadAfter: number[];
  problems: string[];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Reads /proc/stat now; busyFraction() is the share of CPU time not idle since then, over all cores. */
export function cpuSampler(): { busyFraction(): number } {
  const read = () => {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return {
    busyFraction() {
      const end = read();
      const total = end.total - start.total;
      return total > 0 ? 1 - (end.idle - start.idle) / total : 0;
    },
  };
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");

export function scaleReport(results: LayoutResult[], count: number): string {
  const base = results[0];
  const lines = [
    "# Many restores at once across agents (issue #18 item 3)",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores: \`npm run bench:scale-restores -- --count ${count} --layouts ${results
      .map((r) => r.label)
      .join(",")}\`. Each layout: ${count} restores of the demo dump (encrypted MariaDB dump, ` +
      "restore-drill-pipeline-gpg) started at once through the portal's startRun, on a fresh emulator with that many " +
      "`restore-drill` agents; the layouts ran one after the other in this one run.",
    "",
    "| agents × executors | runs | wall s | runs/min | vs first | queue wait p50/p95 s | build p50/p95 s | submit → verdict p50/p95 s | runs per agent | CPU busy | load before → after | problems |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...results
      .map((r) =>
        [
          `${r.agents} × ${r.executors}`,
          r.count,
          s(r.wallMs),
          r.perMinute.toFixed(2),
          base ? `${(r.perMinute / base.perMinute).toFixed(2)}×` : "",
          `${s(r.queueWait.p50)} / ${s(r.queueWait.p95)}`,
          `${s(r.build.p50)} / ${s(r.build.p95)}`,
          `${s(r.total.p50)} / ${s(r.total.p95)}`,
          Object.entries(r.byAgent)
            .map(([a, n]) => `${a}: ${n}`)
            .join(", "),
          `${Math.round(r.cpuBusy * 100)} %`,
          `${loads(r.loadBefore)} → ${loads(r.loadAfter)}`,
          r.problems.length === 0 ? "none" : r.problems.join("; "),
        ].join(" | "),
      )
      .map((row) => `| ${row} |`),
    "",
    "Problems = a run not passed, row counts other than the demo's (customers 250, orders 1200, order_lines 3600), a report " +
      "naming another run, a sandbox process or a run directory left after the last verdict.",
    "",
  ];
  return lines.join("\n");
}
