/**
 * Benchmark: the portal under 50 signed-in users (issue #18 item 4).
 *
 *   npm run bench:load [-- --before DIR --after DIR] [--users 50] [--seconds 120] [--baseline-seconds 20] [--think-ms 2000]
 *     [--replicas 2] [--profile] [--no-cache-off] [--reconcile-ms 10000] [--runs 5000 --schedules 200 --audit 20000] [--out bench/results/portal-load]
 *
 * One PostgreSQL database (TEST_POSTGRES_URL or a throwaway server) is seeded by
 * bench/seed-scale.ts with thousands of runs. Each portal build given (`next build` output
 * directories: --after is the branch under test, --before optionally the code it changes; without
 * either, the repo is built into a temp dir) is started with `next start` on that database and
 * measured the same way, one after the other in the same run so machine noise is comparable:
 *   1. baseline: one signed-in session browsing dashboard → Results → Statistics in a loop;
 *   2. load: `--users` sessions (each its own sign-in, its own session row) doing the same at once,
 *      each sending its next request as soon as the last answer is in (a stress test);
 *   3. users: the same sessions pausing --think-ms on average between pages (0: no such phase).
 * The last build is measured twice, first with its page cache off (PAGE_CACHE_SECONDS=0,
 * lib/http/page-cache), then on, side by side (--no-cache-off: only on); every session is its
 * own sign-in, so the cache (kept per session) shares nothing between them.
 * --reconcile-ms sets the portal's RECONCILE_INTERVAL_MS: by default production's 10 s, so the
 * background rounds (and their lease renewals) run during the phases as they would in use.
 * With --replicas N the last build is measured once more as N processes behind
 * tools/replica-proxy.ts. --profile runs each portal under `node --cpu-prof` and sums where its CPU
 * went (bench/support/cpu-profile.ts). Latency = request sent → whole body received on loopback;
 * an error is any non-200 answer or a failed connection. The portal processes' CPU (from /proc),
 * per request, and the machine's load are recorded, since the machine is shared.
 * Results: <out>.md and <out>.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { seedScale } from "./seed-scale";
import { benchDatabase, freePort } from "./support/databases";
import { startJenkinsCounter } from "./support/jenkins-counter";
import { profilesIn, summarizeProfile } from "./support/cpu-profile";
import { loadReport, type BuildResult, type PhaseResult } from "./support/load-report";
import { buildPortal, signIn, startPortal, type Portal } from "./support/portal";

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
    replicas: { type: "string", default: "1" },
    "no-cache-off": { type: "boolean", default: false },
    "reconcile-ms": { type: "string", default: "10000" },
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
    replicas: positive,
    "no-cache-off": z.boolean(),
    "reconcile-ms": z.coerce.number().int().min(500).max(3_600_000),
    out: z.string().min(1),
  })
  .parse(values);
const MANAGER = { email: "load@restore-drill.test", password: `Load-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}` };

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

async function phase(base: string, pids: number[], cookies: string[], seconds: number, thinkMs = 0): Promise<PhaseResult> {
  const cpuTicksAll = () => pids.reduce((n, pid) => n + cpuTicks(pid), 0);
  const samples: { page: string; ms: number }[] = [];
  let cacheHits = 0;
  const errors: string[] = [];
  const loadBefore = os.loadavg().map(round1);
  const cpuBefore = cpuTicksAll();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const browse = async (cookie: string, offset: number) => {
    // Readers do not all click at the same instant: each session starts somewhere in its first
    // pause, as in the steady state of people reading, not as one burst of every session at once.
    if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * Math.random()));
    for (let i = offset; performance.now() < deadline; i++) {
      const page = PAGES[i % PAGES.length]!;
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${page.path}`, { headers: { cookie }, redirect: "manual" });
        // The whole body, as bytes: decoding 100–200 KB pages into strings would only spend the
        // load generator's share of the same two cores.
        const body = Buffer.from(await res.arrayBuffer());
        if (res.headers.get("x-page-cache") === "hit") cacheHits++;
        if (res.status !== 200) errors.push(`${page.path}: HTTP ${res.status} ${body.subarray(0, 80).toString("utf8")}`);
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
  const cpuAfter = cpuTicksAll();
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
    cacheHits: round1((cacheHits / Math.max(1, samples.length + errors.length)) * 100),
    p50: round1(percentile(all, 50)),
    p95: round1(percentile(all, 95)),
    p99: round1(percentile(all, 99)),
    max: round1(all.at(-1) ?? NaN),
    byPage,
    portalCpu: Math.round(((cpuAfter - cpuBefore) / TICKS_PER_SECOND / elapsed) * 100),
    cpuPerRequest: round1(((cpuAfter - cpuBefore) / TICKS_PER_SECOND / Math.max(1, samples.length + errors.length)) * 1000),
    loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
  };
}

/** `replicas` portals of one build on one database; more than one: behind tools/replica-proxy.ts. */
async function startStand(
  dir: string,
  replicas: number,
  databaseUrl: string,
  jenkinsUrl: string,
  env: Record<string, string>,
  profileDir?: string,
) {
  const proxyPort = await freePort();
  const secret = randomBytes(32).toString("base64");
  const publicUrl = replicas > 1 ? `http://127.0.0.1:${proxyPort}` : undefined;
  const portals: Portal[] = [];
  const proxy: { child?: ChildProcess } = {};
  const stop = async () => {
    proxy.child?.kill("SIGTERM");
    await Promise.all(portals.map((p) => p.stop()));
  };
  try {
    for (let i = 0; i < replicas; i++)
      portals.push(await startPortal({ dir, port: await freePort(), databaseUrl, jenkinsUrl, profileDir, secret, publicUrl, env }));
    if (!publicUrl) return { base: portals[0]!.base, pids: [portals[0]!.child.pid!], stop };
    const upstreams = portals.flatMap((p) => ["--upstream", p.base]);
    proxy.child = spawn(path.join(REPO, "node_modules/.bin/tsx"), ["tools/replica-proxy.ts", "--port", String(proxyPort), ...upstreams], {
      cwd: REPO,
      stdio: "ignore",
    });
    for (
      let i = 0;
      !(await fetch(`${publicUrl}/api/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 100) throw new Error("tools/replica-proxy.ts did not answer within 25 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    return { base: publicUrl, pids: portals.map((p) => p.child.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Build {
  label: string;
  dir: string;
  replicas: number;
  env?: Record<string, string>;
}

async function measure({ label, dir, replicas, env = {} }: Build, databaseUrl: string, jenkinsUrl: string): Promise<BuildResult> {
  const profileDir = args.profile ? path.resolve(REPO, `${args.out}-profiles`, label.replace(/\W+/g, "-")) : undefined;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const settings = { RECONCILE_INTERVAL_MS: String(args["reconcile-ms"]), ...env };
  const stand = await startStand(dir, replicas, databaseUrl, jenkinsUrl, settings, profileDir);
  let result: Omit<BuildResult, "profile">;
  try {
    const cookies: string[] = [];
    for (let i = 0; i < args.users; i++) cookies.push(await signIn(stand.base, MANAGER.email, MANAGER.password));
    const { base, pids } = stand;
    // Warm-up: every page once per process, so first-compile work and cold caches stay out of the phases.
    await phase(base, pids, cookies.slice(0, 1), 3 * replicas);
    console.log(`[${label}] baseline: 1 session, ${args["baseline-seconds"]} s …`);
    const baseline = await phase(base, pids, cookies.slice(0, 1), args["baseline-seconds"]);
    console.log(`[${label}] load: ${args.users} sessions, ${args.seconds} s …`);
    const load = await phase(base, pids, cookies, args.seconds);
    let users: PhaseResult | null = null;
    if (args["think-ms"] > 0) {
      console.log(`[${label}] users: ${args.users} sessions pausing ~${args["think-ms"]} ms between pages, ${args.seconds} s …`);
      users = await phase(base, pids, cookies, args.seconds, args["think-ms"]);
    }
    const pass = [load, users].every((p) => !p || (p.p95 <= GOAL_P95_MS && p.errors === 0));
    result = { label, dir, replicas, baseline, load, users, pass };
  } finally {
    await stand.stop();
  }
  const file = profileDir ? profilesIn(profileDir)[0] : undefined;
  return { ...result, profile: file ? summarizeProfile(file) : null };
}

async function main() {
  const builds: Build[] = [];
  if (args.before) builds.push({ label: "before", dir: path.resolve(args.before), replicas: 1 });
  if (args.after) builds.push({ label: "after", dir: path.resolve(args.after), replicas: 1 });
  if (!args.after) {
    const dir = path.join(os.tmpdir(), "restore-drill-load-build");
    console.log(`next build: ${buildPortal(REPO, dir).seconds.toFixed(0)} s`);
    builds.push({ label: "this tree", dir, replicas: 1 });
  }
  // The last build once more as several processes: what a second core buys (README "Replicas").
  const last = builds.at(-1)!;
  if (!args["no-cache-off"])
    builds.splice(builds.length - 1, 0, { ...last, label: `${last.label}, page cache off`, env: { PAGE_CACHE_SECONDS: "0" } });
  if (args.replicas > 1) builds.push({ label: `${last.label} ×${args.replicas}`, dir: last.dir, replicas: args.replicas });
  const database = await benchDatabase("postgresql", REPO);
  const jenkins = await startJenkinsCounter();
  try {
    console.log(`seeding ${args.runs} runs …`);
    const seed = await seedScale(database.url, MANAGER, { runs: args.runs, schedules: args.schedules, audit: args.audit });
    const results: BuildResult[] = [];
    for (const b of builds) results.push(await measure(b, database.url, jenkins.url));
    const settings = {
      users: args.users,
      thinkMs: args["think-ms"],
      goalP95Ms: GOAL_P95_MS,
      pages: PAGES,
      reconcileMs: args["reconcile-ms"],
    };
    const md = loadReport(results, seed, database.server, settings);
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
