import os from "node:os";
import type { SeedResult } from "../seed-scale";
import type { CpuSummary } from "./cpu-profile";

// The tables of bench/portal-load.ts (bench/results/portal-load.md).

export interface PhaseResult {
  sessions: number;
  /** Mean pause between a session's requests (0: the next request as soon as the last answer is in). */
  thinkMs: number;
  seconds: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  perSecond: number;
  /** Answers the page cache gave (x-page-cache: hit), in % of requests. */
  cacheHits: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byPage: Record<string, { requests: number; p50: number; p95: number }>;
  /** The portal processes' CPU over the phase, in % of one core. */
  portalCpu: number;
  /** The portal processes' CPU time per request answered (ms): the cost, less sensitive to other load than latency. */
  cpuPerRequest: number;
  loadAverage: { before: number[]; after: number[] };
}

export interface BuildResult {
  label: string;
  dir: string;
  /** Portal processes behind tools/replica-proxy.ts (1: the portal alone). */
  replicas: number;
  baseline: PhaseResult;
  load: PhaseResult;
  /** The same sessions pausing between pages like people reading them (--think-ms), or null. */
  users: PhaseResult | null;
  pass: boolean;
  profile: CpuSummary | null;
}

export interface ReportSettings {
  users: number;
  thinkMs: number;
  goalP95Ms: number;
  /** The portal's RECONCILE_INTERVAL_MS: how often its background rounds run. */
  reconcileMs: number;
  pages: readonly { key: string; path: string }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function loadReport(builds: BuildResult[], seed: SeedResult, server: string, settings: ReportSettings): string {
  const { users, thinkMs, goalP95Ms: GOAL_P95_MS, pages: PAGES, reconcileMs } = settings;
  const phases = (b: BuildResult) =>
    [
      ["baseline", b.baseline],
      ["load", b.load],
      ["users", b.users],
    ] as const;
  const row = (b: BuildResult, name: string, p: PhaseResult) => {
    const pages = PAGES.map((pg) => `${p.byPage[pg.key]!.p50}/${p.byPage[pg.key]!.p95}`).join(" · ");
    return `| ${b.label} | ${name} | ${p.sessions} | ${p.thinkMs} | ${p.requests} | ${p.perSecond} | ${p.p50} | ${p.p95} | ${p.p99} | ${p.errors} | ${p.cacheHits} % | ${pages} | ${p.portalCpu} % | ${p.cpuPerRequest} | ${p.loadAverage.before.join(" ")} → ${p.loadAverage.after.join(" ")} |`;
  };
  const lines = [
    "# Portal under load (issue #18 item 4)",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (shared with other work: see the load averages), ${server}.`,
    `Data: ${seed.counts.runs} runs, ${seed.counts.schedules} schedules, ${seed.counts.auditEvents} audit events, ${seed.counts.users} users.`,
    `Production builds (\`next build\` + \`next start\`), one after the other on the same database; sessions browse dashboard → Results → Statistics in a loop.`,
    `Phases: baseline = 1 session; load = ${users} sessions each sending its next request as soon as the last answer is in (no pause: a stress test);`,
    `users = the same ${users} sessions pausing ${thinkMs} ms on average (uniform ½–1½×) between pages, as people reading them do, each starting at a random moment within its first pause (no burst of all sessions at once).`,
    `Portal: RECONCILE_INTERVAL_MS=${reconcileMs} (${reconcileMs >= 3_600_000 ? "background rounds kept out of the window" : "the background rounds run during the phases, as in use"}).`,
    `Goal: p95 ≤ ${GOAL_P95_MS} ms and 0 errors with ${users} sessions.`,
    "",
    "| build | phase | sessions | pause ms | requests | req/s | p50 ms | p95 ms | p99 ms | errors | page cache hits | p50/p95 ms: dashboard · results · statistics | portal CPU (of one core) | CPU ms / request | load avg 1/5/15 |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...builds.flatMap((b) => phases(b).flatMap(([name, p]) => (p ? [row(b, name, p)] : []))),
    "",
    ...builds.map((b) => {
      const measured = phases(b)
        .slice(1)
        .flatMap(([name, p]) => (p ? [{ name, p, met: p.p95 <= GOAL_P95_MS && p.errors === 0 }] : []));
      const phaseText = measured
        .map(({ name, p, met }) => `${name}: p95 ${p.p95} ms, ${p.errors} errors (${met ? "met" : "NOT met"})`)
        .join("; ");
      const missed = measured.filter((m) => !m.met).map((m) => m.name);
      const verdict = missed.length === 0 ? "goal met in every phase" : `goal NOT met in: ${missed.join(", ")}`;
      return `- **${b.label}**${b.replicas > 1 ? ` (${b.replicas} portal processes behind tools/replica-proxy.ts)` : ""}: ${phaseText} → ${verdict}.${b.load.errorSamples.length ? ` Errors: ${b.load.errorSamples.join("; ")}` : ""}`;
    }),
  ];
  const [before, after] = builds;
  if (before && after) {
    const ratio = (name: "baseline" | "load" | "users") => {
      const [x, y] = [before[name], after[name]];
      return x && y
        ? `${name}: CPU per request ${x.cpuPerRequest} → ${y.cpuPerRequest} ms (${round1(x.cpuPerRequest / y.cpuPerRequest)}× less), p95 ${x.p95} → ${y.p95} ms (${round1(x.p95 / y.p95)}×), ${x.perSecond} → ${y.perSecond} req/s (${round1(y.perSecond / x.perSecond)}×)`
        : null;
    };
    lines.push(
      `- ${before.label} → ${after.label}, side by side in this run: ${[ratio("baseline"), ratio("load"), ratio("users")].filter(Boolean).join("; ")}.`,
    );
  }
  for (const b of builds) {
    if (!b.profile) continue;
    lines.push("", `## Where ${b.label}'s CPU went (node --cpu-prof over all phases, ${b.profile.totalMs} ms busy; self time)`, "");
    lines.push(
      "| place | ms | share |",
      "|---|---:|---:|",
      ...b.profile.byPlace.slice(0, 12).map((x) => `| ${x.place} | ${x.ms} | ${x.share} % |`),
    );
  }
  return `${lines.join("\n")}\n`;
}
