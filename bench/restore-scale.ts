/**
 * Benchmark: many restores at once across emulated Jenkins agents (issue 18).
 *
 *   npm run bench:scale-restores -- [--count 40] [--layouts 1x2,2x2] [--format sqlite-db] [--out bench/results/restore-scale.md]
 *
 * For each layout (AGENTSxEXECUTORS) it starts the repository's JJB jobs in the emulator with
 * those agents (tests/integration/jenkins/real-pipeline-fixture.ts, as concurrent-pipelines.test.ts
 * does), a real sshd holding --count sample backups (each with its own row count, so cross-talk
 * shows), then starts every run at once the way the portal does (lib/runs/start-run.ts; the
 * pipeline's signed callback closes the run row) and waits for all to close. Reported: wall time
 * for all runs, throughput ratio against the first layout, p50/p95 of queue wait (run created →
 * pipeline build started) and run time (pipeline build duration), the machine's load and CPU
 * use, and the no-cross-talk checks (row counts exact, no sandbox process, no run directory).
 * 1 agent × 1 executor cannot run a restore: the pipeline build holds the only executor while it
 * waits for its stage, which needs a second executor on the same node.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRun } from "@/lib/runs/start-run";
import { getRunView } from "@/lib/runs/view";
import { runParametersSchema } from "@/lib/validation/run";
import { processesMentioning } from "@/tests/support/servers/process";
import type { SampleFormat } from "@/tests/support/servers/samples";
import { startRealPipeline } from "@/tests/integration/jenkins/real-pipeline-fixture";
import { eventually, makeUser } from "@/tests/integration/runs/support";

const REPO = path.resolve(__dirname, "..");
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
};
const COUNT = Number(arg("count", "40"));
const LAYOUTS = arg("layouts", "1x2,2x2")
  .split(",")
  .map((l) => {
    const [agents, executors] = l.split("x").map(Number);
    if (!agents || !executors || executors < 2)
      throw new Error(`layout ${l}: AGENTSxEXECUTORS with at least 2 executors (a run holds two)`);
    return { name: l, agents, executors };
  });
const FORMAT = arg("format", "sqlite-db") as SampleFormat;
const DB_TYPE: Record<string, string> = { "sqlite-db": "sqlite", mysqldump: "mysql", "pg-custom": "postgresql" };
const OUT = path.resolve(REPO, arg("out", "bench/results/restore-scale.md"));
const SSH_ID = "scale-ssh";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
/** Busy and total jiffies of all CPUs (/proc/stat), to measure CPU use over an interval. */
async function cpuTimes(): Promise<{ busy: number; total: number }> {
  const f = (await fs.readFile("/proc/stat", "utf8")).split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

interface LayoutResult {
  layout: string;
  runs: number;
  wallS: number;
  runsPerMin: number;
  queueP50S: number;
  queueP95S: number;
  runP50S: number;
  runP95S: number;
  cpuBusyPct: number;
  agents: Record<string, number>;
  countsExact: boolean;
  sandboxesGone: boolean;
  failures: string[];
}

async function runLayout(layout: (typeof LAYOUTS)[number]): Promise<LayoutResult> {
  const agentsRoot = await fs.mkdtemp(path.join("/tmp", "rd-scale-agents-"));
  await fs.chmod(agentsRoot, 0o755);
  const nodes = [
    { name: "built-in", labels: [], executors: 1 },
    ...Array.from({ length: layout.agents }, (_, i) => ({
      name: `agent-${i + 1}`,
      labels: ["restore-drill"],
      executors: layout.executors,
      remoteFS: path.join(agentsRoot, `agent-${i + 1}`),
    })),
  ];
  const fx = await startRealPipeline(`scale-${layout.name}`, SSH_ID, { nodes });
  try {
    const user = await makeUser(fx.t.db);
    const rowsOf = (i: number) => 10 + i;
    const files = [];
    for (let i = 0; i < COUNT; i++)
      files.push(await fx.samples.make(FORMAT, [{ name: `t${i}`, rows: rowsOf(i) }], `run${i}.${FORMAT === "sqlite-db" ? "db" : "sql"}`));
    const cpu0 = await cpuTimes();
    const t0 = Date.now();
    const ids = [];
    for (const file of files) {
      const params = runParametersSchema.parse({
        backupHost: fx.sshd.host,
        backupPort: fx.sshd.port,
        backupPath: file,
        backupHostKey: fx.sshd.hostPublicKey,
        dbType: DB_TYPE[FORMAT],
        sshCredentialId: SSH_ID,
      });
      ids.push((await startRun({ db: fx.t.db, jenkins: fx.jenkins, portalUrl: fx.portalUrl }, user, params)).runId);
    }
    const views = await Promise.all(
      ids.map((id) =>
        eventually(
          async () => {
            const v = await getRunView(fx.t.db, id);
            return v && v.status !== "running" && v.status !== "queued" ? v : null;
          },
          `run ${id} to close`,
          60 * 60_000,
          500,
        ),
      ),
    );
    const wallS = (Date.now() - t0) / 1000;
    const cpu1 = await cpuTimes();
    const failures: string[] = [];
    let countsExact = true;
    const queue: number[] = [];
    const durations: number[] = [];
    const agents: Record<string, number> = {};
    for (const [i, view] of views.entries()) {
      if (view.status !== "passed") failures.push(`run ${i}: ${view.status} ${view.reasonCode} ${view.reason}`);
      const rows = view.tables.map((t) => [t.name, t.rows]);
      if (JSON.stringify(rows) !== JSON.stringify([[`t${i}`, rowsOf(i)]])) countsExact = false;
      const row = await fx.t.db.restoreRun.findUniqueOrThrow({ where: { id: ids[i]! } });
      const build = await fx.jenkins.getBuild(row.jobName as string, row.buildNumber as number);
      queue.push((build.startedAt.getTime() - row.createdAt.getTime()) / 1000);
      durations.push(build.durationMs / 1000);
      agents[row.agent ?? "?"] = (agents[row.agent ?? "?"] ?? 0) + 1;
    }
    const leftDirs = [];
    for (const agent of await fs.readdir(agentsRoot))
      for (const ws of await fs.readdir(path.join(agentsRoot, agent, "workspace")).catch(() => [] as string[]))
        for (const entry of await fs.readdir(path.join(agentsRoot, agent, "workspace", ws)).catch(() => [] as string[]))
          if (entry.startsWith("restore-run-")) leftDirs.push(entry);
    const sandboxesGone = (await processesMentioning("restore-run-")).length === 0 && leftDirs.length === 0;
    return {
      layout: `${layout.agents} agent(s) × ${layout.executors} executors`,
      runs: COUNT,
      wallS,
      runsPerMin: (COUNT / wallS) * 60,
      queueP50S: pct(queue, 50),
      queueP95S: pct(queue, 95),
      runP50S: pct(durations, 50),
      runP95S: pct(durations, 95),
      cpuBusyPct: (100 * (cpu1.busy - cpu0.busy)) / (cpu1.total - cpu0.total),
      agents,
      countsExact,
      sandboxesGone,
      failures,
    };
  } finally {
    await fx.stop();
    await fs.rm(agentsRoot, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = os.loadavg();
  const started = new Date().toISOString();
  const results: LayoutResult[] = [];
  for (const layout of LAYOUTS) {
    console.log(`layout ${layout.name}: ${COUNT} restores…`);
    results.push(await runLayout(layout));
    console.log(JSON.stringify(results.at(-1)));
  }
  const f = (n: number) => n.toFixed(1);
  const base = results[0]!;
  const md = [
    "# Restores at scale (bench/restore-scale.ts)",
    "",
    `Started ${started}; ${os.cpus().length} CPUs; load average at start ${load.map((l) => l.toFixed(2)).join(" / ")} (1/5/15 min; the machine is shared).`,
    `${COUNT} restores per layout of a ${FORMAT} sample (one table, 10+i rows for run i), started at once through lib/runs/start-run.ts.`,
    "",
    "| layout | runs | wall (s) | runs/min | throughput × | queue wait p50 / p95 (s) | run time p50 / p95 (s) | CPU busy (all cores) | per agent | counts exact | sandboxes gone | failures |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.layout} | ${r.runs} | ${f(r.wallS)} | ${f(r.runsPerMin)} | ${(r.runsPerMin / base.runsPerMin).toFixed(2)} | ${f(r.queueP50S)} / ${f(r.queueP95S)} | ${f(r.runP50S)} / ${f(r.runP95S)} | ${f(r.cpuBusyPct)} % | ${Object.entries(
          r.agents,
        )
          .map(([a, n]) => `${a}: ${n}`)
          .join(", ")} | ${r.countsExact ? "yes" : "NO"} | ${r.sandboxesGone ? "yes" : "NO"} | ${r.failures.length} |`,
    ),
    "",
    "1 agent × 1 executor is not a layout that can run: a run holds two executors of one node (the pipeline build, blocked on its",
    "stage, and that stage), so the baseline is 1 agent × 2 executors (one run at a time, the throttle category's limit).",
    "What limits the ratio here: every agent is emulated on the same 2 cores, so two runs at once compete for the CPU",
    "(see CPU busy); on real agents (separate machines) restores at once scale with the number of agents.",
    "",
  ].join("\n");
  await fs.mkdir(path.dirname(OUT), { recursive: true });
  await fs.writeFile(OUT, md);
  await fs.writeFile(
    OUT.replace(/\.md$/, ".json"),
    JSON.stringify({ started, loadAverage: load, count: COUNT, format: FORMAT, results }, null, 2),
  );
  console.log(md);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
