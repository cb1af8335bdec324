/**
 * Benchmark: the portal's list and summary pages at a year of real use.
 *
 *   npm run bench:scale [-- --no-build] [--providers sqlite,postgresql] [--samples 60]
 *     [--schedules 1000 --runs 100000 --audit 200000] [--out bench/results/portal-scale]
 *
 * For each provider: a fresh database (SQLite file; PostgreSQL on TEST_POSTGRES_URL or a
 * throwaway server from tools/postgres.sh) is seeded by bench/seed-scale.ts, the BUILT portal is
 * started on it (`next build` in a copy of the repo under the temp dir, so the shared .next is
 * left alone; --no-build uses the repo's own .next) with JENKINS_URL pointing at a counter that
 * answers 503 to everything. After the portal's start-up round of background Jenkins checks is
 * over, a manager signs in over HTTP and every page is fetched in rounds (all pages once per
 * round, so machine noise falls on all of them alike): server time = request sent → whole body
 * received, on loopback. Jenkins requests during the page views are counted (goal: zero).
 * Each page's queries are captured (Prisma query log, same loaders the page calls) and
 * explained on the same data. The dashboard's first-load JavaScript is summed from the <script>
 * tags of a real GET / (gzip -9). Results: <out>.md and <out>.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { auditActions, auditPage, parseAuditFilters } from "../lib/audit/query";
import { loadDashboard } from "../lib/dashboard/load";
import type { Db } from "../lib/db/client";
import type { DbProvider } from "../lib/db/provider";
import { parseResultsFilters } from "../lib/results/filters";
import { decodeRunCursor, resultsPage } from "../lib/results/query";
import { scheduleChoices, statisticsForQuery } from "../lib/stats/query";
import { DEFAULT_SIZE, seedScale, type ScaleSize, type SeedResult } from "./seed-scale";
import { benchDatabase, freePort, type BenchDatabase } from "./support/databases";
import { waitForIdle } from "./support/idle";
import { startJenkinsCounter, type JenkinsCounter, type JenkinsRequest } from "./support/jenkins-counter";
import { buildPortal, signIn, startPortal, type Portal } from "./support/portal";
import { captureQueries, dropIndexes, explainQueries, indexesCreatedBy, type ExplainedQuery } from "./support/queries";

const REPO = path.resolve(__dirname, "..");
const GOAL_P95_MS = 150;
const GOAL_JS_KB = 200;
const DAY = 86_400_000;
/** The migration whose indexes this benchmark chose: measured once more without them at the end. */
const SCALE_MIGRATION = "scale_indexes";

const { values } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    "build-dir": { type: "string", default: path.join(os.tmpdir(), "restore-drill-bench-build") },
    providers: { type: "string", default: "sqlite,postgresql" },
    samples: { type: "string", default: "60" },
    warmup: { type: "string", default: "5" },
    schedules: { type: "string", default: String(DEFAULT_SIZE.schedules) },
    runs: { type: "string", default: String(DEFAULT_SIZE.runs) },
    audit: { type: "string", default: String(DEFAULT_SIZE.audit) },
    out: { type: "string", default: "bench/results/portal-scale" },
  },
});
const count = z.coerce.number().int().min(1);
const args = z
  .object({
    "no-build": z.boolean(),
    "build-dir": z.string().min(1),
    providers: z.string().transform((s, ctx) => {
      const list = s.split(",").map((p) => p.trim());
      if (!list.every((p) => p === "sqlite" || p === "postgresql"))
        ctx.addIssue({ code: "custom", message: "--providers: sqlite and/or postgresql" });
      return list as DbProvider[];
    }),
    samples: count,
    warmup: z.coerce.number().int().min(0),
    schedules: count,
    runs: count,
    audit: count,
    out: z.string().min(1),
  })
  .parse(values);
const SIZE: ScaleSize = { schedules: args.schedules, runs: args.runs, audit: args.audit };
const MANAGER = { email: "bench@restore-drill.test", password: `Bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}` };

interface PageSpec {
  key: string;
  label: string;
  path: string;
  /** The page's own loaders, run in-process to capture its SQL. */
  profile: (db: Db) => Promise<unknown>;
}

interface PageResult {
  key: string;
  label: string;
  path: string;
  status: "measured" | "missing" | "error";
  note?: string;
  samplesMs: number[];
  p50?: number;
  p95?: number;
  max?: number;
  mean?: number;
  bytes?: number;
  pass?: boolean;
  queries: ExplainedQuery[];
  /** The same queries' DB time once the scale_indexes migration's indexes are dropped. */
  dbMsWithoutScaleIndexes?: number;
}

interface ProviderResult {
  provider: DbProvider;
  server: string;
  seed: SeedResult;
  /** How the portal's start-up round was seen to end before measuring. */
  settle: string;
  startupJenkinsRequests: number;
  /** Each with the page whose request was in flight when it arrived (null: between pages). */
  jenkinsDuringViews: (JenkinsRequest & { page: string | null })[];
  loadAverage: { before: string; after: string };
  scaleIndexes: string[];
  pages: PageResult[];
}

const day = (ms: number, tz: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function pagesFor(seed: SeedResult, secondPageAfter: string | null): PageSpec[] {
  const now = Date.now();
  const tz = "Europe/Berlin";
  const range = { from: day(now - 90 * DAY, tz), to: day(now, tz), tz };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const results = (params: Record<string, string>) => async (db: Db) => {
    const parsed = parseResultsFilters(params);
    if (!parsed.ok) throw new Error(`bad results filters ${JSON.stringify(parsed.errors)}`);
    await db.schedule.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
    return resultsPage(db, parsed.filters, decodeRunCursor(parsed.filters.after));
  };
  const audit = (params: Record<string, string>) => async (db: Db) => {
    const parsed = parseAuditFilters(params);
    if (!parsed.ok) throw new Error(`bad audit filters ${JSON.stringify(parsed.errors)}`);
    await auditActions(db);
    return auditPage(db, null, undefined, parsed.filters);
  };
  const statistics = (params: Record<string, string>) => async (db: Db) => {
    await scheduleChoices(db);
    return statisticsForQuery(db, params);
  };
  const filtered = { status: "failed", dbType: "postgresql", ...range };
  const byPerson = { startedBy: seed.sample.startedBy, ...range };
  const pages: PageSpec[] = [
    { key: "dashboard", label: "Dashboard /", path: "/", profile: (db) => loadDashboard(db, new Date()) },
    { key: "results", label: "Results, first page", path: "/results", profile: results({}) },
    {
      key: "results-filtered",
      label: "Results, filtered (failed, PostgreSQL, 90 days, Europe/Berlin)",
      path: `/results?${q(filtered)}`,
      profile: results(filtered),
    },
    {
      key: "results-person",
      label: "Results, started by one person (90 days)",
      path: `/results?${q(byPerson)}`,
      profile: results(byPerson),
    },
    {
      key: "results-host",
      label: "Results, one backup host",
      path: `/results?${q({ host: seed.sample.host })}`,
      profile: results({ host: seed.sample.host }),
    },
    { key: "statistics", label: "Statistics (default range)", path: "/statistics", profile: statistics({}) },
    {
      key: "statistics-schedule",
      label: "Statistics, one schedule",
      path: `/statistics?${q({ schedule: seed.sample.scheduleId })}`,
      profile: statistics({ schedule: seed.sample.scheduleId }),
    },
    {
      key: "statistics-year",
      label: "Statistics, a whole year",
      path: `/statistics?${q({ from: day(now - 365 * DAY, tz), to: day(now, tz), tz })}`,
      profile: statistics({ from: day(now - 365 * DAY, tz), to: day(now, tz), tz }),
    },
    { key: "audit", label: "Audit, first page", path: "/audit", profile: audit({}) },
    {
      key: "audit-filtered",
      label: "Audit, failed sign-ins (90 days)",
      path: `/audit?${q({ action: "auth.sign-in", outcome: "failure", ...range })}`,
      profile: audit({ action: "auth.sign-in", outcome: "failure", ...range }),
    },
  ];
  if (secondPageAfter)
    pages.splice(2, 0, {
      key: "results-page-2",
      label: "Results, second page (cursor)",
      path: `/results?${q({ after: secondPageAfter })}`,
      profile: results({ after: secondPageAfter }),
    });
  return pages;
}

async function timedGet(
  base: string,
  pathname: string,
  cookie: string,
): Promise<{ ms: number; status: number; body: string; location: string | null }> {
  const t = performance.now();
  const res = await fetch(`${base}${pathname}`, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body, location: res.headers.get("location") };
}

/** One provider's stand: a seeded database, its portal and its Jenkins counter, signed in. */
interface Stand {
  provider: DbProvider;
  database: BenchDatabase;
  seed: SeedResult;
  jenkins: JenkinsCounter;
  portal: Portal;
  cookie: string;
  settle: string;
  startupJenkinsRequests: number;
  pages: PageSpec[];
  results: Map<string, PageResult>;
  inFlight: { key: string; from: number; to: number }[];
  stop(): Promise<void>;
}

async function prepare(provider: DbProvider, portalDir: string): Promise<Stand> {
  const database = await benchDatabase(provider, REPO);
  console.log(`[${provider}] seeding ${SIZE.schedules} schedules, ${SIZE.runs} runs, ${SIZE.audit} audit events …`);
  const seed = await seedScale(database.url, MANAGER, SIZE);
  console.log(`[${provider}] seeded in ${seed.seconds.total.toFixed(1)} s`);
  const jenkins = await startJenkinsCounter();
  const portal = await startPortal({ dir: portalDir, port: await freePort(), databaseUrl: database.url, jenkinsUrl: jenkins.url }).catch(
    async (error: unknown) => {
      await jenkins.close();
      await database.drop();
      throw error;
    },
  );
  const stop = async () => {
    await portal.stop();
    await jenkins.close();
    await database.drop();
  };
  try {
    // The reconciler and the schedule watch run one round at start-up, then every
    // RECONCILE_INTERVAL_MS (an hour here). The watch's round checks missed runs of every
    // schedule (database only) and then reads config.xml (drift) — its last step, which fails at
    // once here. So: wait for that config.xml request, then for Jenkins and the portal to be quiet.
    const settleStart = performance.now();
    const deadline = settleStart + 180_000;
    while (!jenkins.requests.some((r) => r.path.endsWith("/config.xml")) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    const sawDrift = jenkins.requests.some((r) => r.path.endsWith("/config.xml"));
    await jenkins.quiet(5000, 120_000);
    const idle = await waitForIdle(portal.child.pid!, { windowMs: 2000, maxShare: 0.05, timeoutMs: 60_000 });
    const settle = `${sawDrift ? "start-up round seen to reach its drift check" : "start-up drift check NOT seen within 180 s"}, then Jenkins quiet 5 s and the portal ${idle ? "idle (< 5 % CPU over 2 s)" : "NOT idle after 60 s"}; ${((performance.now() - settleStart) / 1000).toFixed(0)} s after start`;
    console.log(`[${provider}] ${settle}`);
    const startupJenkinsRequests = jenkins.requests.length;
    const cookie = await signIn(portal.base, MANAGER.email, MANAGER.password);
    const first = await timedGet(portal.base, "/results", cookie);
    const after = /[?&]after=([0-9]+_[a-z0-9]+)/.exec(first.body.replaceAll("&amp;", "&"))?.[1] ?? null;
    const pages = pagesFor(seed, after);
    const results = new Map<string, PageResult>(
      pages.map((p) => [p.key, { key: p.key, label: p.label, path: p.path, status: "measured", samplesMs: [], queries: [] }]),
    );
    return { provider, database, seed, jenkins, portal, cookie, settle, startupJenkinsRequests, pages, results, inFlight: [], stop };
  } catch (error) {
    console.error(portal.log.slice(-30).join("\n"));
    await stop();
    throw error;
  }
}

/**
 * All stands' portals are up at once and every round asks each page of each provider in turn,
 * so machine noise (two cores, shared with whatever else runs) falls on both alike.
 */
async function measure(stands: Stand[]): Promise<{ windowStart: number; windowEnd: number; loadBefore: string; loadAfter: string }> {
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const windowStart = performance.now();
  const keys = [...new Set(stands.flatMap((s) => s.pages.map((p) => p.key)))];
  for (let round = 0; round < args.warmup + args.samples; round++) {
    for (const key of keys) {
      for (const stand of stands) {
        const page = stand.pages.find((p) => p.key === key);
        const r = stand.results.get(key);
        if (!page || !r || r.status !== "measured") continue;
        const from = performance.now();
        const got = await timedGet(stand.portal.base, page.path, stand.cookie);
        stand.inFlight.push({ key, from, to: performance.now() });
        if (got.status === 404) {
          r.status = "missing";
          r.note = "404: the page does not exist in this build";
        } else if (got.status !== 200) {
          r.status = "error";
          r.note = `HTTP ${got.status}${got.location ? ` → ${got.location}` : ""}`;
        } else if (round >= args.warmup) {
          r.samplesMs.push(got.ms);
          r.bytes = got.body.length;
        }
      }
    }
  }
  return {
    windowStart,
    windowEnd: performance.now(),
    loadBefore,
    loadAfter: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

async function finish(stand: Stand, window: Awaited<ReturnType<typeof measure>>): Promise<ProviderResult> {
  const { provider, database, results } = stand;
  for (const r of results.values()) {
    if (r.samplesMs.length === 0) continue;
    const sorted = [...r.samplesMs].sort((a, b) => a - b);
    Object.assign(r, {
      p50: round1(percentile(sorted, 50)),
      p95: round1(percentile(sorted, 95)),
      max: round1(sorted.at(-1)!),
      mean: round1(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    });
    r.pass = (r.p95 ?? Infinity) <= GOAL_P95_MS;
  }
  // Queries after the timing, so that explaining does not compete with the page views.
  for (const page of stand.pages) {
    const r = results.get(page.key)!;
    try {
      r.queries = await explainQueries(database.url, await captureQueries(database.url, page.profile));
    } catch (error) {
      r.note = `${r.note ? `${r.note}; ` : ""}queries not captured: ${(error as Error).message.split("\n")[0]}`;
    }
  }
  // The same queries without this benchmark's indexes: what they buy (the page views are over).
  const migration = fs.readdirSync(path.join(REPO, "prisma/migrations", provider)).find((d) => d.endsWith(`_${SCALE_MIGRATION}`));
  const scaleIndexes = migration
    ? indexesCreatedBy(fs.readFileSync(path.join(REPO, "prisma/migrations", provider, migration, "migration.sql"), "utf8"))
    : [];
  if (scaleIndexes.length > 0) {
    await dropIndexes(database.url, scaleIndexes);
    for (const r of results.values()) {
      if (r.queries.length === 0) continue;
      const again = await explainQueries(
        database.url,
        r.queries.map(({ sql, params, ms }) => ({ sql, params, ms })),
      );
      r.dbMsWithoutScaleIndexes = round1(again.reduce((t, q) => t + q.dbMs, 0));
    }
  }
  const result: ProviderResult = {
    provider,
    server: database.server,
    seed: stand.seed,
    settle: stand.settle,
    startupJenkinsRequests: stand.startupJenkinsRequests,
    jenkinsDuringViews: stand.jenkins
      .between(window.windowStart, window.windowEnd)
      .map((r) => ({ ...r, page: stand.inFlight.find((f) => r.at >= f.from && r.at <= f.to)?.key ?? null })),
    scaleIndexes,
    loadAverage: { before: window.loadBefore, after: window.loadAfter },
    pages: [...results.values()],
  };
  for (const r of result.pages)
    console.log(`[${provider}] ${r.label}: ${r.status === "measured" ? `p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms` : r.note}`);
  console.log(
    `[${provider}] Jenkins requests during page views: ${result.jenkinsDuringViews.length} (start-up round: ${stand.startupJenkinsRequests})`,
  );
  return result;
}

interface FirstLoadJs {
  scripts: { src: string; bytes: number; gzipBytes: number }[];
  totalBytes: number;
  totalGzipBytes: number;
  htmlBytes: number;
  htmlGzipBytes: number;
}

/** The JS files the dashboard's HTML makes the browser load (its <script src> tags), gzip -9. */
async function firstLoadJs(base: string, cookie: string, html: string): Promise<FirstLoadJs> {
  const srcs = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")))];
  const scripts = [];
  for (const src of srcs) {
    const res = await fetch(new URL(src, base), { headers: { cookie } });
    if (!res.ok) throw new Error(`first-load JS: ${src} answered ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    scripts.push({ src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  const htmlBuf = Buffer.from(html);
  return {
    scripts,
    totalBytes: scripts.reduce((s, x) => s + x.bytes, 0),
    totalGzipBytes: scripts.reduce((s, x) => s + x.gzipBytes, 0),
    htmlBytes: htmlBuf.length,
    htmlGzipBytes: gzipSync(htmlBuf, { level: 9 }).length,
  };
}

/** @@index / @@unique lines of the models the pages read, from prisma/schema.prisma. */
function schemaIndexes(): Record<string, string[]> {
  const schema = fs.readFileSync(path.join(REPO, "prisma/schema.prisma"), "utf8");
  const out: Record<string, string[]> = {};
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    if (!["RestoreRun", "AuditEvent", "Schedule"].includes(m[1]!)) continue;
    out[m[1]!] = [...m[2]!.matchAll(/^\s*(@@(?:index|unique)\(.*\))/gm)].map((x) => x[1]!);
  }
  return out;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? "?"} × ${cpus.length}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    next: (JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/next/package.json"), "utf8")) as { version: string }).version,
    prisma: (JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@prisma/client/package.json"), "utf8")) as { version: string })
      .version,
    loadAverageAtStart: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

function markdown(report: {
  date: string;
  machine: ReturnType<typeof machine>;
  build: string;
  samples: number;
  warmup: number;
  size: ScaleSize;
  providers: ProviderResult[];
  indexes: Record<string, string[]>;
  js: FirstLoadJs | null;
  jsResults: FirstLoadJs | null;
}): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    "# Portal pages at scale",
    "",
    `Run ${report.date} with \`npm run bench:scale\` (bench/portal-scale.ts; data from bench/seed-scale.ts).`,
    "",
    `Machine: ${report.machine.cpu}, ${report.machine.memoryGb} GB, ${report.machine.os}; Node ${report.machine.node}, Next.js ${report.machine.next}, Prisma ${report.machine.prisma}; load average at start ${report.machine.loadAverageAtStart}. The portal, the database and this client share the machine.`,
    `Portal: ${report.build}, \`next start\`, NODE_ENV=production, JENKINS_URL = a counter answering 503, RECONCILE_INTERVAL_MS = 3600000.`,
    "",
    `Data per provider: ${report.size.schedules} schedules, ${report.size.runs} runs over a year, ${report.size.audit} audit events (details per provider below).`,
    `Method: both providers' portals run side by side; ${report.warmup} warm-up rounds, then ${report.samples} rounds; each round fetches every page once from each provider in turn (page A from SQLite, page A from PostgreSQL, page B …), signed in as a manager, so machine noise falls on both alike. Server time = request sent → whole HTML received over loopback. Goal: p95 ≤ ${GOAL_P95_MS} ms.`,
    "",
  );
  const keys = [...new Set(report.providers.flatMap((p) => p.pages.map((x) => x.key)))];
  push(
    "## Server time (ms)",
    "",
    `| Page | ${report.providers.map((p) => `${p.provider} p50 | ${p.provider} p95 | ${p.provider} max`).join(" | ")} | Goal |`,
    `|---|${report.providers.map(() => "---:|---:|---:").join("|")}|---|`,
  );
  for (const key of keys) {
    const cells = report.providers.map((p) => {
      const r = p.pages.find((x) => x.key === key);
      if (!r || r.status !== "measured" || r.p95 === undefined) return `— | ${r?.note ?? "not measured"} | —`;
      return `${r.p50} | ${r.p95}${r.pass ? "" : " ✗"} | ${r.max}`;
    });
    const all = report.providers.map((p) => p.pages.find((x) => x.key === key));
    const verdict = all.every((r) => r?.pass) ? "pass" : all.some((r) => r?.status !== "measured") ? "not measured" : "FAIL";
    const label = all.find(Boolean)?.label ?? key;
    push(`| ${label} | ${cells.join(" | ")} | ${verdict} |`);
  }
  push(
    "",
    "Where the time goes: p50 server time against the page's database time (the sum of its queries run directly, see below), the same queries without the indexes of migration `" +
      SCALE_MIGRATION +
      "` (dropped after the page views), and the size of its HTML:",
    "",
    `| Page | ${report.providers.map((p) => `${p.provider} p50 | ${p.provider} DB | ${p.provider} DB without`).join(" | ")} | HTML KB |`,
    `|---|${report.providers.map(() => "---:|---:|---:").join("|")}|---:|`,
  );
  for (const key of keys) {
    const all = report.providers.map((p) => p.pages.find((x) => x.key === key));
    const cells = all.map((r) =>
      r && r.p50 !== undefined
        ? `${r.p50} | ${round1(r.queries.reduce((t, q) => t + q.dbMs, 0))} | ${r.dbMsWithoutScaleIndexes ?? "—"}`
        : "— | — | —",
    );
    const bytes = all.find((r) => r?.bytes)?.bytes;
    push(`| ${all.find(Boolean)?.label ?? key} | ${cells.join(" | ")} | ${bytes ? kb(bytes) : "—"} |`);
  }
  push(
    "",
    `Load average (1, 5, 15 min) around the page views: ${report.providers[0]?.loadAverage.before ?? "?"} → ${report.providers[0]?.loadAverage.after ?? "?"}.`,
  );
  const over = report.providers.flatMap((p) =>
    p.pages
      .filter((r) => r.status === "measured" && r.pass === false)
      .map((r) => ({ p, r, db: r.queries.reduce((t, q) => t + q.dbMs, 0) })),
  );
  if (over.length > 0) {
    push(
      "",
      "Over the goal, and how much of the p50 the database accounts for:",
      "",
      ...over.map(
        ({ p, r, db }) =>
          `- ${p.provider}, ${r.label}: p95 ${r.p95} ms, p50 ${r.p50} ms of which database ${round1(db)} ms (${Math.round((db / (r.p50 ?? 1)) * 100)} %); HTML ${r.bytes ? kb(r.bytes) : "?"} KB.`,
      ),
    );
  }
  push(
    "",
    "Paths measured:",
    "",
    ...keys.map((k) => `- ${k}: \`${report.providers.flatMap((p) => p.pages).find((x) => x.key === k)?.path}\``),
    "",
  );
  push("## Jenkins calls", "", "| Provider | During page views | Start-up round (before measuring) |", "|---|---:|---:|");
  for (const p of report.providers) {
    const seen = [...new Set(p.jenkinsDuringViews.map((r) => `${r.method} ${r.path} (while ${r.page ?? "no page"} was loading)`))].slice(
      0,
      5,
    );
    push(`| ${p.provider} | ${p.jenkinsDuringViews.length}${seen.length ? ` — ${seen.join("; ")}` : ""} | ${p.startupJenkinsRequests} |`);
  }
  push(
    "",
    "The start-up round is the reconciler's and the schedule watch's first pass (instrumentation.ts), not a page view; measuring starts after it: " +
      report.providers.map((p) => `${p.provider}: ${p.settle}`).join("; ") +
      ".",
    "",
  );
  push("## Dashboard first-load JavaScript", "");
  if (report.js) {
    push(
      `${report.js.scripts.length} script files from the <script src> tags of a signed-in GET /: **${kb(report.js.totalGzipBytes)} KB gzipped** (gzip -9; ${kb(report.js.totalBytes)} KB raw). Goal ≤ ${GOAL_JS_KB} KB: ${report.js.totalGzipBytes / 1024 <= GOAL_JS_KB ? "pass" : "FAIL"}. The HTML itself (with the inline RSC payload): ${kb(report.js.htmlGzipBytes)} KB gzipped.`,
      "",
      "| Script | Raw KB | Gzip KB |",
      "|---|---:|---:|",
      ...report.js.scripts.map((s) => `| ${s.src} | ${kb(s.bytes)} | ${kb(s.gzipBytes)} |`),
      "",
    );
    if (report.jsResults) {
      const shared = new Set(report.jsResults.scripts.map((s) => s.src));
      const own = report.js.scripts.filter((s) => !shared.has(s.src));
      push(
        `For comparison, /results (server-rendered, no client components of its own) loads ${kb(report.jsResults.totalGzipBytes)} KB gzipped: the framework and the portal's shell. Scripts only the dashboard loads: ${own.length} files, ${kb(own.reduce((t, s) => t + s.gzipBytes, 0))} KB gzipped${own.length ? ` (${own.map((s) => `${path.basename(s.src)} ${kb(s.gzipBytes)} KB`).join(", ")})` : ""}.`,
        "",
      );
    }
  } else push("Not measured: GET / did not answer 200.", "");
  push("## Indexes in place (prisma/schema.prisma)", "");
  for (const [model, idx] of Object.entries(report.indexes))
    push(`- ${model}: ${idx.map((i) => `\`${i}\``).join(", ") || "none beyond the primary key"}`);
  push(
    "",
    `Added for this benchmark (migration \`${SCALE_MIGRATION}\`): ${[...new Set(report.providers.flatMap((p) => p.scaleIndexes))].map((i) => `\`${i}\``).join(", ") || "none found"}.`,
    "",
  );
  for (const p of report.providers) {
    const s = p.seed;
    push(
      `## ${p.provider}: ${p.server}`,
      "",
      `Seeded ${s.counts.users} users, ${s.counts.schedules} schedules, ${s.counts.runs} runs (${Object.entries(s.counts.runsByStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ", ",
        )}; ${s.counts.reports} with a report, ${s.counts.alarms} with a shrink alarm), ${s.counts.auditEvents} audit events in ${s.seconds.total.toFixed(1)} s (runs ${s.seconds.runs.toFixed(1)} s, audit ${s.seconds.audit.toFixed(1)} s${p.provider === "postgresql" ? `, ANALYZE ${s.seconds.analyze.toFixed(1)} s` : ""}).`,
      "",
      "Queries per page (captured from the page's own loaders; DB time = " +
        (p.provider === "sqlite" ? "median of 5 direct executions" : "EXPLAIN ANALYZE execution time") +
        "):",
      "",
    );
    for (const r of p.pages) {
      push(`### ${r.label} — ${r.queries.length} queries, ${round1(r.queries.reduce((t, q) => t + q.dbMs, 0))} ms in the database`, "");
      for (const q of r.queries) {
        push(
          "```sql",
          q.sql.length > 600 ? `${q.sql.slice(0, 600)} …` : q.sql,
          "```",
          `DB time ${round1(q.dbMs)} ms. Plan:`,
          "```",
          ...q.plan.filter((l) => !/^\s*(Planning|Buffers|Execution|Planning Time)/.test(l) || /Time:/.test(l)).slice(0, 25),
          "```",
          "",
        );
      }
    }
  }
  return lines.join("\n");
}

async function main() {
  const startedAt = new Date();
  const machineFacts = machine();
  let portalDir = REPO;
  let build = "the repository's existing .next (--no-build)";
  if (!args["no-build"]) {
    portalDir = path.resolve(args["build-dir"]);
    const { seconds } = buildPortal(REPO, portalDir);
    build = `built by the bench in ${portalDir} (${seconds.toFixed(0)} s)`;
  } else if (!fs.existsSync(path.join(REPO, ".next/BUILD_ID"))) {
    throw new Error("--no-build needs a build: run `npx next build` first");
  }
  const stands: Stand[] = [];
  const providers: ProviderResult[] = [];
  let js: FirstLoadJs | null = null;
  let jsResults: FirstLoadJs | null = null;
  try {
    for (const provider of args.providers) stands.push(await prepare(provider, portalDir));
    const window = await measure(stands);
    for (const stand of stands) providers.push(await finish(stand, window));
    const first = stands[0]!;
    const dashboard = await timedGet(first.portal.base, "/", first.cookie);
    if (dashboard.status === 200) js = await firstLoadJs(first.portal.base, first.cookie, dashboard.body);
    const results = await timedGet(first.portal.base, "/results", first.cookie);
    if (results.status === 200) jsResults = await firstLoadJs(first.portal.base, first.cookie, results.body);
  } finally {
    for (const stand of stands) await stand.stop();
  }
  const report = {
    date: startedAt.toISOString(),
    machine: machineFacts,
    build,
    samples: args.samples,
    warmup: args.warmup,
    size: SIZE,
    providers,
    indexes: schemaIndexes(),
    js,
    jsResults,
  };
  const out = path.resolve(REPO, args.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.json`, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  fs.writeFileSync(`${out}.md`, `${markdown(report)}\n`);
  if (js) console.log(`dashboard first-load JS: ${kb(js.totalGzipBytes)} KB gzipped (${js.scripts.length} files)`);
  console.log(`wrote ${path.relative(REPO, out)}.md and .json`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
