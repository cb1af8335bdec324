import { promises as fs } from "node:fs";
import path from "node:path";
import { buildGpgCredentialXml, SecretValue } from "@/lib/credentials";
import { startRun } from "@/lib/runs/start-run";
import { getRunView, type RunView } from "@/lib/runs/view";
import { runParametersSchema } from "@/lib/validation/run";
import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { processesMentioning } from "@/tests/support/servers/process";
import type { SampleFormat, SampleTable } from "@/tests/support/servers/samples";
import { startRealPipeline, type RealPipeline } from "../jenkins/real-pipeline-fixture";
import { eventually, makeUser } from "./support";

// Real pipelines at the same time (issue 18): the repository's JJB jobs in an emulator with two
// agents of two executors, real sshd, gpg, MariaDB, PostgreSQL and SQLite sandboxes. Each run
// must end with its own row counts (every run has different ones, so cross-talk shows), on one
// agent for all its stages, in a workspace no other running build holds, its sandbox gone.
// One run is encrypted (restore-drill-pipeline-gpg) among plain ones: the two pipeline jobs share
// the throttle category restore-drill-pipelines, so a -gpg and a plain build never take both
// executors of one agent and wait forever for their stages.

jest.setTimeout(480_000);

const SSH_ID = "concurrent-ssh";
const GPG_ID = "concurrent-gpg";
const RUNS: Array<{ format: SampleFormat; dbType: string; gpg: boolean; tables: SampleTable[] }> = [
  { format: "mysqldump", dbType: "mysql", gpg: false, tables: [{ name: "alpha", rows: 11 }] },
  { format: "pg-custom", dbType: "postgresql", gpg: true, tables: [{ name: "beta", rows: 17 }] },
  { format: "sqlite-db", dbType: "sqlite", gpg: false, tables: [{ name: "gamma", rows: 23 }] },
  { format: "mysqldump", dbType: "mysql", gpg: false, tables: [{ name: "delta", rows: 29 }] },
];

let fx: RealPipeline;
let gpgKey: GpgKey;
let agentsRoot: string;

beforeAll(async () => {
  agentsRoot = path.join("/tmp", `rd-agents-${process.pid}`);
  await fs.mkdir(agentsRoot, { recursive: true, mode: 0o755 });
  fx = await startRealPipeline("concurrent", SSH_ID, {
    nodes: [
      { name: "built-in", labels: [], executors: 1 },
      { name: "agent-a", labels: ["restore-drill"], executors: 2, remoteFS: path.join(agentsRoot, "a") },
      { name: "agent-b", labels: ["restore-drill"], executors: 2, remoteFS: path.join(agentsRoot, "b") },
    ],
  });
  gpgKey = await createGpgKey(fx.work, "concurrent");
  await fx.jenkins.createCredential(
    new SecretValue(
      buildGpgCredentialXml({ id: GPG_ID, description: "backup key", armoredKey: await fs.readFile(gpgKey.secretKeyPath, "utf8") }),
    ),
  );
});

afterAll(async () => {
  await fx?.stop();
  if (gpgKey) await disposeGpgKey(gpgKey).catch(() => undefined);
  if (agentsRoot) await fs.rm(agentsRoot, { recursive: true, force: true });
});

async function backup(i: number): Promise<string> {
  const run = RUNS[i]!;
  const file = await fx.samples.make(run.format, run.tables, `run${i}.${run.format === "sqlite-db" ? "db" : "sql"}`);
  if (!run.gpg) return file;
  await gpgEncrypt(gpgKey, file, `${file}.gpg`);
  await fs.rm(file);
  return `${file}.gpg`;
}

const workspaceOf = async (job: string, build: number) => /in workspace (\S+)/.exec(await fx.jenkins.readFullLog(job, build))?.[1];

it("should run restores at once on two agents, each with its own counts, agent, workspace and report, leaving no sandbox", async () => {
  const user = await makeUser(fx.t.db);
  const started = [];
  for (let i = 0; i < RUNS.length; i++) {
    const params = runParametersSchema.parse({
      backupHost: fx.sshd.host,
      backupPort: fx.sshd.port,
      backupPath: await backup(i),
      backupHostKey: fx.sshd.hostPublicKey,
      dbType: RUNS[i]!.dbType,
      sshCredentialId: SSH_ID,
      ...(RUNS[i]!.gpg ? { gpgCredentialId: GPG_ID } : {}),
    });
    started.push(startRun({ db: fx.t.db, jenkins: fx.jenkins, portalUrl: fx.portalUrl }, user, params));
  }
  const runIds = (await Promise.all(started)).map((s) => s.runId);

  const views: RunView[] = await Promise.all(
    runIds.map((runId) =>
      eventually(
        async () => {
          const v = await getRunView(fx.t.db, runId);
          return v && v.status !== "running" && v.status !== "queued" ? v : null;
        },
        `run ${runId} to close`,
        300_000,
      ),
    ),
  ).catch(async (error: Error) => {
    const logs = [];
    for (let n = 1; n <= 4; n++) logs.push((await fx.jenkins.readFullLog("restore-drill-pipeline", n).catch(() => "")).slice(-1200));
    throw new Error(`${error.message}\n${logs.join("\n---\n")}`);
  });
  for (const [i, view] of views.entries()) {
    if (view.status !== "passed") throw new Error(`run ${i} ${view.status}: ${view.reasonCode} ${view.reason}`);
    expect(view.tables.map((x) => [x.name, x.rows])).toEqual(RUNS[i]!.tables.map((x) => [x.name, x.rows]));
    expect(view.totalRows).toBe(RUNS[i]!.tables[0]!.rows);
  }

  // Each run's report is its own: the pipeline build named on the run row wrote RUN_ID = this run.
  const rows = await Promise.all(runIds.map((id) => fx.t.db.restoreRun.findUniqueOrThrow({ where: { id } })));
  const builds: Array<{ job: string; number: number; agent: string | null; from: number; to: number }> = [];
  for (const row of rows) {
    const job = row.jobName as string;
    const number = row.buildNumber as number;
    const report = (await fx.jenkins.readRestoreReport(job, number)) as { runId?: string; jenkins?: { node?: string } };
    expect(report.runId).toBe(row.id);
    expect(report.jenkins?.node).toBe(row.agent);
    const status = await fx.jenkins.getBuild(job, number);
    builds.push({ job, number, agent: row.agent, from: status.startedAt.getTime(), to: status.startedAt.getTime() + status.durationMs });
  }
  // The agents were both used, and runs on different agents overlapped in time.
  expect(new Set(rows.map((r) => r.agent))).toEqual(new Set(["agent-a", "agent-b"]));
  const overlapping = builds.some((a) => builds.some((b) => a !== b && a.agent !== b.agent && a.from < b.to && b.from < a.to));
  expect(overlapping).toBe(true);
  // One pipeline build per agent at a time (throttle): its stage has the agent's other executor.
  for (const a of builds) for (const b of builds) if (a !== b && a.agent === b.agent) expect(a.from < b.to && b.from < a.to).toBe(false);
  // Every stage of a run ran on the run's agent, in that agent's workspace root.
  for (const b of builds) {
    const workspace = await workspaceOf(b.job, b.number);
    expect(workspace?.startsWith(path.join(agentsRoot, b.agent === "agent-a" ? "a" : "b", "workspace"))).toBe(true);
    const log = await fx.jenkins.readFullLog(b.job, b.number);
    for (const m of log.matchAll(/(restore-drill-[a-z-]+) #(\d+) completed/g)) {
      expect((await fx.jenkins.getBuild(m[1]!, Number(m[2]))).agent).toBe(b.agent);
    }
  }

  // Every sandbox is gone: no server process under a run directory, no run directory left.
  expect(await processesMentioning("restore-run-")).toEqual([]);
  for (const agent of ["a", "b"]) {
    const workspaces = await fs.readdir(path.join(agentsRoot, agent, "workspace")).catch(() => []);
    for (const ws of workspaces) {
      const entries = await fs.readdir(path.join(agentsRoot, agent, "workspace", ws));
      expect(entries.filter((e) => e.startsWith("restore-run-"))).toEqual([]);
    }
  }
});
