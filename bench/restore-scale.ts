/**
 * Benchmark: many restores at once across Jenkins agents (issue #18 item 3).
 *
 *   npm run bench:scale-restores [-- --count 40 --layouts 1x2,2x2 --out bench/results/restore-scale]
 *
 * For each layout (AGENTS x EXECUTORS), the repository's JJB jobs are provisioned into a fresh
 * emulator with that many `restore-drill` agents (tests/integration/jenkins/real-pipeline-fixture.ts:
 * real sshd, a fresh SQLite portal database, the pipeline's signed callback), and --count restores
 * of the demo dump (the encrypted MariaDB dump `npm start` serves, tools/demo/sample-dumps.ts) are
 * started at once through the portal's startRun, as the run form does. Measured: wall time from
 * the first submit to the last verdict, throughput, per run the queue wait (submit → pipeline build
 * start) and the build time, the machine's CPU use (/proc/stat) and load. Checked: every run
 * passed with the demo's exact row counts, its report names its own run, no sandbox process and no
 * run directory is left. 1 x 1 cannot run at all: a run holds two executors of its agent (the
 * pipeline build blocks on its stage), so one executor waits forever; 1 x 2 is the smallest.
 * Results: <out>.md and <out>.json.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildGpgCredentialXml, SecretValue } from "../lib/credentials";
import { startRun } from "../lib/runs/start-run";
import { getRunView } from "../lib/runs/view";
import { runParametersSchema } from "../lib/validation/run";
import { DEMO_TABLES, makeMariaDbDump } from "../tools/demo/sample-dumps";
import { startRealPipeline } from "../tests/integration/jenkins/real-pipeline-fixture";
import { makeUser } from "../tests/integration/runs/support";
import { createGpgKey, disposeGpgKey, gpgEncrypt } from "../tests/support/servers/gpg";
import { processesMentioning } from "../tests/support/servers/process";
import { cpuSampler, percentile, scaleReport, type LayoutResult, type RunTiming } from "./support/restore-scale-report";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "40" },
    layouts: { type: "string", default: "1x2,2x2" },
    out: { type: "string", default: "bench/results/restore-scale" },
  },
});
const layoutSchema = z
  .string()
  .regex(/^\d+x\d+$/, "a layout is AGENTSxEXECUTORS, e.g. 2x2")
  .transform((s) => s.split("x").map(Number) as [number, number])
  .refine(([agents, executors]) => agents >= 1 && agents <= 8 && executors >= 2 && executors <= 8, {
    message: "1-8 agents of 2-8 executors (a run needs two executors of one agent)",
  });
const args = z
  .object({
    count: z.coerce.number().int().min(1).max(500),
    layouts: z.string().transform((s, ctx) => {
      const parsed = s.split(",").map((l) => layoutSchema.safeParse(l.trim()));
      const bad = parsed.find((p) => !p.success);
      if (bad && !bad.success) ctx.addIssue({ code: "custom", message: bad.error.issues[0]!.message });
      return parsed.flatMap((p) => (p.success ? [p.data] : []));
    }),
    out: z.string().min(1),
  })
  .parse(values);

const SSH_ID = "scale-ssh";
const GPG_ID = "scale-gpg";
const EXPECTED = DEMO_TABLES.map((t) => [t.name, t.rows]);

async function measureLayout(agents: number, executors: number): Promise<LayoutResult> {
  const label = `${agents}x${executors}`;
  const agentsRoot = path.join("/tmp", `rd-scale-${label}-${process.pid}`);
  await fs.mkdir(agentsRoot, { recursive: true, mode: 0o755 });
  const agentNodes = Array.from({ length: agents }, (_, i) => ({
    name: `agent-${i + 1}`,
    labels: ["restore-drill"],
    executors,
    remoteFS: path.join(agentsRoot, `agent-${i + 1}`),
  }));
  const fx = await startRealPipeline(`scale-${label}`, SSH_ID, { nodes: [{ name: "built-in", labels: [], executors: 1 }, ...agentNodes] });
  const key = await createGpgKey(fx.work, `scale-${label}`);
  try {
    await fx.jenkins.createCredential(
      new SecretValue(
        buildGpgCredentialXml({ id: GPG_ID, description: "demo key", armoredKey: await fs.readFile(key.secretKeyPath, "utf8") }),
      ),
    );
    const plain = path.join(fx.samples.dir, "shop-mariadb.sql");
    await makeMariaDbDump(DEMO_TABLES, plain);
    await gpgEncrypt(key, plain, `${plain}.gpg`);
    await fs.rm(plain);
    const params = runParametersSchema.parse({
      backupHost: fx.sshd.host,
      backupPort: fx.sshd.port,
      backupPath: `${plain}.gpg`,
      backupHostKey: fx.sshd.hostPublicKey,
      dbType: "mysql",
      sshCredentialId: SSH_ID,
      gpgCredentialId: GPG_ID,
    });
    const user = await makeUser(fx.t.db);
    const deps = { db: fx.t.db, jenkins: fx.jenkins, portalUrl: fx.portalUrl };
    const cpu = cpuSampler();
    const loadBefore = os.loadavg();
    const t0 = Date.now();
    const submitted = await Promise.all(
      Array.from({ length: args.count }, async () => {
        const at = Date.now();
        return { runId: (await startRun(deps, user, params)).runId, at };
      }),
    );
    const closedAt = new Map<string, number>();
    const deadline = t0 + 90 * 60_000;
    while (closedAt.size < submitted.length) {
      if (Date.now() > deadline) throw new Error(`${label}: ${submitted.length - closedAt.size} runs still open after 90 min`);
      const closed = await fx.t.db.restoreRun.findMany({
        where: { id: { in: submitted.map((s) => s.runId) }, status: { notIn: ["queued", "running"] } },
        select: { id: true },
      });
      for (const { id } of closed) if (!closedAt.has(id)) closedAt.set(id, Date.now());
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const wallMs = Math.max(...closedAt.values()) - t0;
    const cpuBusy = cpu.busyFraction();
    const loadAfter = os.loadavg();

    const runs: RunTiming[] = [];
    const problems: string[] = [];
    for (const s of submitted) {
      const view = await getRunView(fx.t.db, s.runId);
      const row = await fx.t.db.restoreRun.findUniqueOrThrow({ where: { id: s.runId } });
      if (!view || view.status !== "passed")
        problems.push(`run ${s.runId}: ${view?.status} ${view?.reasonCode ?? ""} ${view?.reason ?? ""}`);
      else if (JSON.stringify(view.tables.map((t) => [t.name, t.rows])) !== JSON.stringify(EXPECTED))
        problems.push(`run ${s.runId}: rows ${JSON.stringify(view.tables)}`);
      const build = await fx.jenkins.getBuild(row.jobName as string, row.buildNumber as number);
      const report = (await fx.jenkins.readRestoreReport(row.jobName as string, row.buildNumber as number)) as { runId?: string };
      if (report.runId !== s.runId) problems.push(`run ${s.runId}: its build's report names run ${report.runId}`);
      runs.push({
        agent: row.agent ?? "?",
        queueWaitMs: build.startedAt.getTime() - s.at,
        buildMs: build.durationMs,
        totalMs: (closedAt.get(s.runId) ?? 0) - s.at,
      });
    }
    const leftProcesses = await processesMentioning("restore-run-");
    if (leftProcesses.length > 0) problems.push(`sandbox processes left: ${leftProcesses.join(" ")}`);
    for (const node of agentNodes) {
      const root = path.join(node.remoteFS, "workspace");
      for (const ws of await fs.readdir(root).catch(() => [] as string[])) {
        const left = (await fs.readdir(path.join(root, ws))).filter((e) => e.startsWith("restore-run-"));
        if (left.length > 0) problems.push(`run directories left in ${node.name}/${ws}: ${left.join(" ")}`);
      }
    }
    const byAgent = Object.fromEntries(agentNodes.map((n) => [n.name, runs.filter((r) => r.agent === n.name).length]));
    return {
      label,
      agents,
      executors,
      count: args.count,
      wallMs,
      perMinute: (args.count / wallMs) * 60_000,
      queueWait: {
        p50: percentile(
          runs.map((r) => r.queueWaitMs),
          50,
        ),
        p95: percentile(
          runs.map((r) => r.queueWaitMs),
          95,
        ),
      },
      build: {
        p50: percentile(
          runs.map((r) => r.buildMs),
          50,
        ),
        p95: percentile(
          runs.map((r) => r.buildMs),
          95,
        ),
      },
      total: {
        p50: percentile(
          runs.map((r) => r.totalMs),
          50,
        ),
        p95: percentile(
          runs.map((r) => r.totalMs),
          95,
        ),
      },
      byAgent,
      cpuBusy,
      loadBefore,
      loadAfter,
      problems,
    };
  } finally {
    await disposeGpgKey(key).catch(() => undefined);
    await fx.stop();
    await fs.rm(agentsRoot, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: LayoutResult[] = [];
  for (const [agents, executors] of args.layouts) {
    console.log(`${agents} x ${executors}: ${args.count} restores…`);
    const result = await measureLayout(agents, executors);
    console.log(`  ${(result.wallMs / 1000).toFixed(1)} s, ${result.perMinute.toFixed(2)} runs/min, ${result.problems.length} problems`);
    results.push(result);
  }
  const out = path.resolve(__dirname, "..", args.out);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(`${out}.json`, JSON.stringify({ at: new Date().toISOString(), cores: os.cpus().length, results }, null, 2) + "\n");
  await fs.writeFile(`${out}.md`, scaleReport(results, args.count));
  console.log(`written ${path.relative(process.cwd(), out)}.md`);
  if (results.some((r) => r.problems.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
