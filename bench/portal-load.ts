/**
 * Benchmark: the portal under 50 signed-in users (issue #18 item 4).
 *
 *   npm run bench:load [-- --before DIR --after DIR] [--users 50] [--seconds 120] [--baseline-seconds 20]
 *     [--runs 5000 --schedules 200 --audit 20000] [--out bench/results/portal-load]
 *
 * One PostgreSQL database (TEST_POSTGRES_URL or a throwaway server) is seeded by
 * bench/seed-scale.ts with thousands of runs. Each portal build given (`next build` output
 * directories: --after is the branch under test, --before optionally the code it changes; without
 * either, the repo is built into a temp dir) is started with `next start` on that database and
 * measured the same way, one after the other in the same run so machine noise is comparable:
 *   1. baseline: one signed-in session browsing dashboard → Results → Statistics in a loop;
 *   2. load: `--users` sessions (each its own sign-in, its own session row) doing the same at once.
 * Latency = request sent → whole body received on loopback; an error is any non-200 answer or a
 * failed connection. The portal process's CPU (from /proc) and the machine's load are recorded,
 * since the machine is shared. Results: <out>.md and <out>.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { seedScale, type SeedResult } from "./seed-scale";
import { benchDatabase, freePort } from "./support/databases";
import { startJenkinsCounter } from "./support/jenkins-counter";
import { profilesIn, summarizeProfile, type CpuSummary } from "./support/cpu-profile";
import { buildPortal, signIn, startPortal } from "./support/portal";

const REPO = path.resolve(__dirname, "..");
const GOAL_P95_MS = 300;
const PAGES = [
  { key: "dashboard", path: "/" },
  { key: "results", path: "/results" },
  { key: "statistics", path: "/statistics" },
] as const;

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string" },
    users: { type: "string", default: "50" },
    seconds: { type: "string", default: "120" },
    "baseline-seconds": { type: "string", default: "20" },
    runs: { type: "string", default: "5000" },
    schedules: { type: "string", default: "200" },
    audit: { type: "string", default: "20000" },
    "think-ms": { type: "string", default: "2000" },
    profile: { type: "boolean", default: false },
    out: { type: "string", default: "bench/results/portal-load" },
  },
});
const positive = z.coerce.number().int().min(1);
const args = z
  .object({
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
    users: positive,
    seconds: positive,
    "baseline-seconds": positive,
    runs: positive,
    schedules: positive,
    audit: positive,
    "think-ms": z.coerce.number().int().min(0),
    profile: z.boolean(),
    out: z.string().min(1),
  })
  .parse(values);
const MANAGER = { email: "load@restore-drill.test", password: `Load-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}` };

interface PhaseResult {
  sessions: number;
  /** Mean pause between a session's requests (0: the next request as soon as the last answer is in). */
  thinkMs: number;
  seconds: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byPage: Record<string, { requests: number; p50: number; p95: number }>;
  /** The portal process's CPU over the phase, in % of one core. */
  portalCpu: number;
  loadAverage: { before: number[]; after: number[] };
}

interface BuildResult {
  label: string;
  dir: string;
  baseline: PhaseResult;
  load: PhaseResult;
  /** The same sessions pausing between pages like people reading them (--think-ms), or null. */
  users: PhaseResult | null;
  pass: boolean;
  profile: CpuSummary | null;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** utime + stime of a process (and its reaped children), in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}
const TICKS_PER_SECOND = 100;

async function phase(base: string, pid: number, cookies: string[], seconds: number, thinkMs = 0): Promise<PhaseResult> {
  const samples: { page: string; ms: number }[] = [];
  const errors: string[] = [];
  const loadBefore = os.loadavg().map(round1);
  const cpuBefore = cpuTicks(pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const browse = async (cookie: string, offset: number) => {
    for (let i = offset; performance.now() < deadline; i++) {
      const page = PAGES[i % PAGES.length]!;
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${page.path}`, { headers: { cookie }, redirect: "manual" });
        const body = await res.text();
        if (res.status !== 200) errors.push(`${page.path}: HTTP ${res.status} ${body.slice(0, 80)}`);
        else samples.push({ page: page.key, ms: performance.now() - t0 });
      } catch (error) {
        errors.push(`${page.path}: ${(error as Error).message}`);
      }
      // Uniform between half and one and a half times the mean, so sessions drift apart.
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
    }
  };
  // Sessions start on different pages, as real users would not all click in step.
  await Promise.all(cookies.map((cookie, i) => browse(cookie, i)));
  const elapsed = (performance.now() - started) / 1000;
  const all = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byPage: PhaseResult["byPage"] = {};
  for (const p of PAGES) {
    const ms = samples
      .filter((s) => s.page === p.key)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    byPage[p.key] = { requests: ms.length, p50: round1(percentile(ms, 50)), p95: round1(percentile(ms, 95)) };
  }
  return {
    sessions: cookies.length,
    thinkMs,
    seconds: round1(elapsed),
    requests: samples.length + errors.length,
    errors: errors.length,
    errorSamples: [...new Set(errors)].slice(0, 5),
    perSecond: round1((samples.length + errors.length) / elapsed),
    p50: round1(percentile(all, 50)),
    p95: round1(percentile(all, 95)),
    p99: round1(percentile(all, 99)),
    max: round1(all.at(-1) ?? NaN),
    byPage,
    portalCpu: Math.round(((cpuTicks(pid) - cpuBefore) / TICKS_PER_SECOND / elapsed) * 100),
    loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
  };
}

async function measure(label: string, dir: string, databaseUrl: string, jenkinsUrl: string): Promise<BuildResult> {
  const profileDir = args.profile ? path.resolve(REPO, `${args.out}-profiles`, label) : undefined;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const portal = await startPortal({ dir, port: await freePort(), databaseUrl, jenkinsUrl, profileDir });
  let result: Omit<BuildResult, "profile">;
  try {
    const cookies: string[] = [];
    for (let i = 0; i < args.users; i++) cookies.push(await signIn(portal.base, MANAGER.email, MANAGER.password));
    const pid = portal.child.pid!;
    // Warm-up: every page once, so first-compile work and cold caches stay out of both phases.
    await phase(portal.base, pid, cookies.slice(0, 1), 3);
    console.log(`[${label}] baseline: 1 session, ${args["baseline-seconds"]} s …`);
    const baseline = await phase(portal.base, pid, cookies.slice(0, 1), args["baseline-seconds"]);
    console.log(`[${label}] load: ${args.users} sessions, ${args.seconds} s …`);
    const load = await phase(portal.base, pid, cookies, args.seconds);
    let users: PhaseResult | null = null;
    if (args["think-ms"] > 0) {
      console.log(`[${label}] users: ${args.users} sessions pausing ~${args["think-ms"]} ms between pages, ${args.seconds} s …`);
      users = await phase(portal.base, pid, cookies, args.seconds, args["think-ms"]);
    }
    const pass = [load, users].every((p) => !p || (p.p95 <= GOAL_P95_MS && p.errors === 0));
    result = { label, dir, baseline, load, users, pass };
  } finally {
    await portal.stop();
  }
  const file = profileDir ? profilesIn(profileDir)[0] : undefined;
  return { ...result, profile: file ? summarizeProfile(file) : null };
}

function report(builds: BuildResult[], seed: SeedResult, server: string): string {
  const phases = (b: BuildResult) =>
    [
      ["baseline", b.baseline],
      ["load", b.load],
      ["users", b.users],
    ] as const;
  const row = (b: BuildResult, name: string, p: PhaseResult) => {
    const pages = PAGES.map((pg) => `${p.byPage[pg.key]!.p50}/${p.byPage[pg.key]!.p95}`).join(" · ");
    return `| ${b.label} | ${name} | ${p.sessions} | ${p.thinkMs} | ${p.requests} | ${p.perSecond} | ${p.p50} | ${p.p95} | ${p.p99} | ${p.errors} | ${pages} | ${p.portalCpu} % | ${p.loadAverage.before.join(" ")} → ${p.loadAverage.after.join(" ")} |`;
  };
  const lines = [
    "# Portal under load (issue #18 item 4)",
    "",
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (shared with other work: see the load averages), ${server}.`,
    `Data: ${seed.counts.runs} runs, ${seed.counts.schedules} schedules, ${seed.counts.auditEvents} audit events, ${seed.counts.users} users.`,
    `Production builds (\`next build\` + \`next start\`), one after the other on the same database; sessions browse dashboard → Results → Statistics in a loop.`,
    `Phases: baseline = 1 session; load = ${args.users} sessions each sending its next request as soon as the last answer is in (no pause: a stress test);`,
    `users = the same ${args.users} sessions pausing ${args["think-ms"]} ms on average (uniform ½–1½×) between pages, as people reading them do.`,
    `Goal: p95 ≤ ${GOAL_P95_MS} ms and 0 errors with ${args.users} sessions.`,
    "",
    "| build | phase | sessions | pause ms | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p50/p95 ms: dashboard · results · statistics | portal CPU (of one core) | load avg 1/5/15 |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...builds.flatMap((b) => phases(b).flatMap(([name, p]) => (p ? [row(b, name, p)] : []))),
    "",
    ...builds.map((b) => {
      const phaseText = phases(b)
        .slice(1)
        .flatMap(([name, p]) => (p ? [`${name}: p95 ${p.p95} ms, ${p.errors} errors`] : []))
        .join("; ");
      const cost = round1((b.baseline.portalCpu * 10) / b.baseline.perSecond);
      return `- **${b.label}**: ${phaseText} → goal ${b.pass ? "met" : "NOT met"}. Portal CPU per request alone: ${cost} ms (baseline CPU ÷ req/s).${b.load.errorSamples.length ? ` Errors: ${b.load.errorSamples.join("; ")}` : ""}`;
    }),
  ];
  const [before, after] = builds.length === 2 ? builds : [];
  if (before && after) {
    const ratio = (name: "baseline" | "load" | "users") => {
      const [x, y] = [before[name], after[name]];
      return x && y
        ? `${name}: p95 ${x.p95} → ${y.p95} ms (${round1(x.p95 / y.p95)}×), ${x.perSecond} → ${y.perSecond} req/s (${round1(y.perSecond / x.perSecond)}×)`
        : null;
    };
    lines.push(
      `- before → after, side by side in this run: ${[ratio("baseline"), ratio("load"), ratio("users")].filter(Boolean).join("; ")}.`,
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

async function main() {
  const builds: { label: string; dir: string }[] = [];
  if (args.before) builds.push({ label: "before", dir: path.resolve(args.before) });
  if (args.after) builds.push({ label: "after", dir: path.resolve(args.after) });
  if (!args.after) {
    const dir = path.join(os.tmpdir(), "restore-drill-load-build");
    console.log(`next build: ${buildPortal(REPO, dir).seconds.toFixed(0)} s`);
    builds.push({ label: "this tree", dir });
  }
  const database = await benchDatabase("postgresql", REPO);
  const jenkins = await startJenkinsCounter();
  try {
    console.log(`seeding ${args.runs} runs …`);
    const seed = await seedScale(database.url, MANAGER, { runs: args.runs, schedules: args.schedules, audit: args.audit });
    const results: BuildResult[] = [];
    for (const b of builds) results.push(await measure(b.label, b.dir, database.url, jenkins.url));
    const md = report(results, seed, database.server);
    fs.mkdirSync(path.dirname(path.resolve(REPO, args.out)), { recursive: true });
    fs.writeFileSync(path.resolve(REPO, `${args.out}.md`), md);
    fs.writeFileSync(
      path.resolve(REPO, `${args.out}.json`),
      `${JSON.stringify({ server: database.server, seed: seed.counts, results }, null, 2)}\n`,
    );
    console.log(md);
  } finally {
    await jenkins.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
