/**
 * Issue 15 item 5: the real pipeline (the repository's JJB jobs in the emulator, started by the
 * portal's startRun) with SANDBOX_PROVIDER=docker, through Podman's Docker-compatible service on
 * the images built from Debian packages. A restore passes with exact row counts inside a limited
 * container; the container is gone after success, a failed restore, a Stop, and a killed Jenkins
 * (then the sweep removes it). Stage by stage, with limits read back: docker-sandbox.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { stopRun } from "@/lib/runs/stop-run";
import { getRunView } from "@/lib/runs/view";
import { setImageList } from "@/lib/sandbox-images/allow-list";
import { runParametersSchema } from "@/lib/validation/run";
import { run } from "@/tests/support/servers/process";
import { startRealPipeline, type RealPipeline } from "../integration/jenkins/real-pipeline-fixture";
import { eventually, makeUser } from "../integration/runs/support";
import { REPO_ROOT } from "./helpers/stages";

jest.setTimeout(900_000);

const MARIADB_IMAGE = "localhost/restore-drill-mariadb:10.11";
const SWEEP = path.join(REPO_ROOT, "scripts/sweep.sh");
/** Holds the import with the sandbox up: a valid dump whose last statement sleeps. */
const STALLED_DUMP =
  "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n" +
  "CREATE TABLE waits (id INT PRIMARY KEY);\nINSERT INTO waits VALUES (1);\nSELECT SLEEP(900);\n" +
  "-- Dump completed on 2026-12-04 10:00:00\n";

let real: RealPipeline;
let service: ChildProcess;
const saved = { DOCKER_HOST: process.env.DOCKER_HOST, RD_LEASE_DIR: process.env.RD_LEASE_DIR };

async function docker(...args: string[]) {
  return run("docker", args, { env: { ...process.env } });
}

/** The names of the containers this test's builds started: labelled with a run directory under the emulator's home. */
async function ourContainers(): Promise<string[]> {
  const format = '{{.Names}} {{.Label "io.restore-drill.run-dir"}}';
  const out = await docker("ps", "--all", "--filter", "label=io.restore-drill.run-dir", "--format", format);
  // A listing that failed would read as "no container left": it must not pass for one.
  if (out.code !== 0) throw new Error(`docker ps failed: ${out.stderr}`);
  return out.stdout
    .split("\n")
    .map((line) => line.split(" "))
    .filter(([, dir]) => dir?.startsWith(real.emulator.home))
    .map(([name]) => name!);
}

beforeAll(async () => {
  // Built once per machine (cached); tools/test-all.sh starts the build early in the background.
  const built = await run(path.join(REPO_ROOT, "tools/container-images/build.sh"), [], { env: process.env });
  if (built.code !== 0) throw new Error(`image build failed:\n${built.stderr}`);
  real = await startRealPipeline("docker-pipeline", "docker-pipeline-ssh");
  // The emulator's builds inherit this process's environment, as an agent's builds inherit the agent's.
  process.env.DOCKER_HOST = `unix://${real.work}/podman.sock`;
  process.env.RD_LEASE_DIR = path.join(real.work, "leases");
  service = spawn("podman", ["system", "service", "--time=0", process.env.DOCKER_HOST], { stdio: "ignore" });
  service.unref();
  for (let i = 0; i < 100 && (await docker("version")).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  const manager = await makeUser(real.t.db);
  await setImageList(real.t.db, manager, { dbType: "mysql", images: [MARIADB_IMAGE] });
}, 900_000);

afterAll(async () => {
  for (const name of real ? await ourContainers() : []) await docker("rm", "--force", "--volumes", name);
  service?.kill("SIGTERM");
  await real?.stop();
  for (const [key, value] of Object.entries(saved))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
});

async function startDockerRun(backupPath: string) {
  const user = await makeUser(real.t.db);
  const params = runParametersSchema.parse({
    backupHost: real.sshd.host,
    backupPort: real.sshd.port,
    backupPath,
    backupHostKey: real.sshd.hostPublicKey,
    dbType: "mysql",
    sshCredentialId: real.sshCredentialId,
    sandboxProvider: "docker",
    sandboxImage: MARIADB_IMAGE,
  });
  const { runId } = await startRun({ db: real.t.db, jenkins: real.jenkins, portalUrl: real.portalUrl }, user, params);
  return { runId, user };
}

const closed = (runId: string) =>
  eventually(
    async () => {
      const view = await getRunView(real.t.db, runId);
      return view && view.status !== "queued" && view.status !== "running" ? view : null;
    },
    `run ${runId} to close`,
    300_000,
    500,
  );

async function stalledDump(name: string): Promise<string> {
  const file = path.join(real.work, name);
  await fs.writeFile(file, STALLED_DUMP, { mode: 0o600 });
  return file;
}

describe("the pipeline with SANDBOX_PROVIDER=docker", () => {
  it("should restore in a container with exact row counts, and leave no container", async () => {
    const tables = [
      { name: "customers", rows: 12 },
      { name: "orders", rows: 31 },
    ];
    const { runId } = await startDockerRun(await real.samples.make("mysqldump", tables, "shop.sql"));
    const view = await closed(runId);
    expect(`${view.status} ${view.reasonCode}: ${view.reason}`).toMatch(/^passed OK/);
    expect(view.tables.map((t) => [t.name, t.rows])).toEqual(tables.map((t) => [t.name, t.rows]));
    expect(view.totalRows).toBe(43);
    expect(view.versions).toMatchObject({ sandboxEngine: "mariadb" });
    expect(await ourContainers()).toEqual([]);
  });

  it("should fail a broken dump and leave no container", async () => {
    const broken = path.join(real.work, "broken.sql");
    await fs.writeFile(broken, "-- MariaDB dump 10.19\nCREATE TABLE t (id INT);\nINSERT INTO nowhere VALUES (1);\n", { mode: 0o600 });
    const view = await closed((await startDockerRun(broken)).runId);
    expect(view.status).toBe("failed");
    expect(view.failedStage).toBe("restore");
    expect(await ourContainers()).toEqual([]);
  });

  it("should end a stopped run aborted, its container removed by destroy", async () => {
    const { runId, user } = await startDockerRun(await stalledDump("stopped.sql"));
    await eventually(async () => (await ourContainers()).length > 0, "the container to be up", 240_000, 500);
    await stopRun({ db: real.t.db, jenkins: real.jenkins }, user, runId);
    expect((await closed(runId)).status).toBe("aborted");
    expect(await ourContainers()).toEqual([]);
  });

  it("should leave no container after Jenkins is killed mid-restore, once the sweep has run", async () => {
    const { runId } = await startDockerRun(await stalledDump("killed.sql"));
    await eventually(async () => (await ourContainers()).length > 0, "the container to be up", 240_000, 500);
    await real.restartEmulator();
    await eventually(
      async () => {
        await reconcileOnce({ db: real.t.db, jenkins: real.jenkins });
        const row = await real.t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
        return row.status !== "queued" && row.status !== "running" ? row : null;
      },
      "the run to close after the restart",
      60_000,
      500,
    );
    // The build that held the lease is gone: the sweep (the restore-drill-sweep job's script) removes its container.
    let left = await ourContainers();
    for (let attempt = 0; attempt < 60 && left.length > 0; attempt++) {
      execFileSync("bash", [SWEEP], { env: { ...process.env }, stdio: "pipe" });
      left = await ourContainers();
      if (left.length > 0) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(left).toEqual([]);
  });
});
