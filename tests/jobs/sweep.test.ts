/**
 * Issue 13 item 6: a Jenkins crash mid-run left the sandbox running. Each
 * sandbox has a lease naming its build and the process that ran the build
 * step; the sweep (scripts/sweep.sh, and every deploy) removes sandboxes
 * whose build is over and keeps the ones still in use.
 *
 * The "build" here is a real process that runs deploy.sh the way a Jenkins
 * executor does (its child) and then either ends (the build died with
 * Jenkins) or stays (the build is still running).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, processesMentioning, removeDir, run } from "@/tests/support/servers/process";
import { destroyRun, expectNothingLeft, nodeEnv, runStage, SCRIPTS } from "./helpers/stages";

jest.setTimeout(120_000);

let work: string;
let leaseDir: string;
const holders: ChildProcess[] = [];

beforeAll(async () => {
  work = await makeTempDir("rdj-sweep");
  leaseDir = path.join(work, "leases");
});

afterAll(async () => {
  for (const h of holders) h.kill("SIGKILL");
  await removeDir(work);
});

interface Build {
  runDir: string;
  reportDir: string;
  holder: ChildProcess;
}

/** An executor process that runs deploy and then stays alive until killed. */
async function startBuild(id: string, dbType: string): Promise<Build> {
  const runDir = path.join(work, `run-${id}`);
  const reportDir = path.join(work, `report-${id}`);
  const env = nodeEnv({
    RUN_DIR: runDir,
    REPORT_DIR: reportDir,
    DB_TYPE: dbType,
    RD_LEASE_DIR: leaseDir,
    JOB_NAME: "restore-drill-deploy",
    BUILD_NUMBER: id.length.toString(),
  });
  // exec keeps the pid and its start time: the lease's holder stays the same process.
  const holder = spawn("bash", ["-c", '"$0"; echo "deployed:$?"; exec sleep 600', path.join(SCRIPTS, "deploy.sh")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  holders.push(holder);
  let stderr = "";
  holder.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<string>((resolve, reject) => {
    let out = "";
    holder.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /deployed:(\d+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    holder.on("exit", () => reject(new Error(`the build process ended before deploy did:\n${stderr}`)));
  });
  if (code !== "0") throw new Error(`deploy failed (${code}):\n${stderr}`);
  return { runDir, reportDir, holder };
}

async function sweep(): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await run(path.join(SCRIPTS, "sweep.sh"), [], { env: nodeEnv({ RD_LEASE_DIR: leaseDir }) });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

async function leases(): Promise<{ runDir: string; build: { job: string } | null; holder: { pid: number } | null }[]> {
  const names = await fs.readdir(leaseDir).catch(() => [] as string[]);
  return Promise.all(
    names.filter((n) => n.endsWith(".json")).map(async (n) => JSON.parse(await fs.readFile(path.join(leaseDir, n), "utf8"))),
  );
}

async function serverPids(runDir: string): Promise<number[]> {
  return processesMentioning(`${runDir}/`);
}

describe("the sandbox sweep", () => {
  it("should remove the sandbox of a build that died and keep the one of a running build", async () => {
    const live = await startBuild("live", "postgresql");
    const dead = await startBuild("dead", "mysql");
    try {
      const written = await leases();
      expect(written.map((l) => l.runDir).sort()).toEqual([dead.runDir, live.runDir].sort());
      expect(written.find((l) => l.runDir === live.runDir)?.holder?.pid).toBe(live.holder.pid);
      expect(await serverPids(dead.runDir)).not.toEqual([]);

      // Jenkins dies: the executor process of the "dead" build is gone, the sandbox stays up.
      dead.holder.kill("SIGKILL");
      await new Promise((r) => dead.holder.once("exit", r));
      expect(await serverPids(dead.runDir)).not.toEqual([]);

      const first = await sweep();
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(`removing the sandbox in ${dead.runDir}`);
      expect(first.stdout.trim().split("\n").at(-1)).toBe("sandboxes left: 1");
      await expectNothingLeft(dead.runDir);
      // The running build's sandbox is untouched and still answers.
      expect((await leases()).map((l) => l.runDir)).toEqual([live.runDir]);
      expect(await serverPids(live.runDir)).not.toEqual([]);
      expect((await fs.stat(path.join(live.runDir, "sandbox/handle.json"))).isFile()).toBe(true);

      // Sweeping again changes nothing while the build runs.
      expect((await sweep()).stdout).toContain("sandboxes left: 1");
      expect(await serverPids(live.runDir)).not.toEqual([]);

      // Its build ends without destroy: the next sweep removes it too.
      live.holder.kill("SIGKILL");
      await new Promise((r) => live.holder.once("exit", r));
      expect((await sweep()).stdout.trim().split("\n").at(-1)).toBe("sandboxes left: 0");
      await expectNothingLeft(live.runDir);
    } finally {
      await destroyRun(live.runDir, live.reportDir);
      await destroyRun(dead.runDir, dead.reportDir);
    }
  });

  it("should sweep at deploy time and remove the lease on destroy", async () => {
    const orphan = await startBuild("orphan", "postgresql");
    orphan.holder.kill("SIGKILL");
    await new Promise((r) => orphan.holder.once("exit", r));
    const env = {
      RUN_DIR: path.join(work, "run-next"),
      REPORT_DIR: path.join(work, "report-next"),
      DB_TYPE: "sqlite",
      RD_LEASE_DIR: leaseDir,
    };
    try {
      const deploy = await runStage("deploy", env);
      expect(deploy.code).toBe(0);
      expect(deploy.stderr).toContain("swept 1, kept 0");
      await expectNothingLeft(orphan.runDir);
      expect((await leases()).map((l) => l.runDir)).toEqual([env.RUN_DIR]);
      expect((await runStage("destroy", env)).code).toBe(0);
      expect(await leases()).toEqual([]);
    } finally {
      await destroyRun(orphan.runDir, orphan.reportDir);
      await destroyRun(env.RUN_DIR, env.REPORT_DIR);
    }
  });
});
