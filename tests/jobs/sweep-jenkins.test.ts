/**
 * The sweep asks Jenkins whether a lease's build is still running when the
 * restore-drill-sweep credential is bound (RD_JENKINS_USER / RD_JENKINS_TOKEN):
 * Jenkins' answer wins over the process that ran the build, a stage build
 * counts as running while the pipeline build that triggered it runs, and an
 * answer it cannot trust (a refused token) leaves the decision to the holder
 * process. The Jenkins here is the emulator with real builds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

import { startTestEmulator, queueIdFrom, type TestEmulator } from "@/tests/support/emulator";
import { makeTempDir, removeDir, run } from "@/tests/support/servers/process";
import { nodeEnv, SCRIPTS } from "./helpers/stages";

jest.setTimeout(120_000);

const shell = (command: string) => `<hudson.tasks.Shell><command>${command}</command></hudson.tasks.Shell>`;
const trigger = (project: string) =>
  `<hudson.plugins.parameterizedtrigger.TriggerBuilder><configs><hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig>` +
  `<configs/><projects>${project}</projects><condition>ALWAYS</condition><triggerWithNoParameters>true</triggerWithNoParameters>` +
  `<block><buildStepFailureThreshold><name>FAILURE</name><ordinal>2</ordinal><color>RED</color><completeBuild>true</completeBuild></buildStepFailureThreshold></block>` +
  `</hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig></configs></hudson.plugins.parameterizedtrigger.TriggerBuilder>`;
const job = (builders: string) =>
  `<?xml version="1.0" encoding="utf-8"?><project><actions/><description/><keepDependencies>false</keepDependencies><properties/>` +
  `<concurrentBuild>true</concurrentBuild><builders>${builders}</builders><publishers/><buildWrappers/></project>`;

let jenkins: TestEmulator;
let work: string;
let leaseDir: string;
const holders: ChildProcess[] = [];

beforeAll(async () => {
  jenkins = await startTestEmulator();
  work = await makeTempDir("rdj-sweep-jenkins");
  leaseDir = path.join(work, "leases");
  await fs.mkdir(leaseDir, { mode: 0o700 });
  const create = (name: string, builders: string) =>
    jenkins.request(`createItem?name=${name}`, { method: "POST", headers: { "content-type": "application/xml" }, body: job(builders) });
  for (const [name, builders] of [
    ["quick", shell("true")],
    ["busy", shell("sleep 90")],
    ["stage", shell("true")],
    ["owner", trigger("stage") + shell("sleep 90")],
  ] as const)
    expect((await create(name, builders)).status).toBe(200);
});

afterAll(async () => {
  for (const h of holders) h.kill("SIGKILL");
  for (const name of ["busy", "owner"]) await jenkins.request(`job/${name}/lastBuild/stop`, { method: "POST" }).catch(() => undefined);
  await jenkins.cleanup();
  await removeDir(work);
});

async function startBuild(name: string): Promise<string> {
  const queued = await jenkins.request(`job/${name}/build`, { method: "POST" });
  const id = queueIdFrom(queued);
  for (;;) {
    const item = (await (await jenkins.request(`queue/item/${id}/api/json`)).json()) as { executable?: { url: string } };
    if (item.executable) return item.executable.url;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process standing for the executor that ran deploy: alive, or already gone. */
async function holder(alive: boolean): Promise<{ pid: number; startTicks: string }> {
  const child = spawn("sleep", ["600"], { stdio: "ignore" });
  holders.push(child);
  const stat = await fs.readFile(`/proc/${child.pid}/stat`, "utf8");
  const startTicks = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] as string;
  if (!alive) {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  return { pid: child.pid!, startTicks };
}

/** A lease as deploy writes it (scripts/lib/sandbox.sh rd_lease_write), for a run directory of its own. */
async function lease(name: string, buildUrl: string, holderAlive: boolean): Promise<string> {
  const runDir = path.join(work, `run-${name}`);
  await fs.mkdir(runDir);
  await fs.writeFile(path.join(runDir, ".restore-drill-run"), "");
  const file = path.join(leaseDir, `${createHash("sha256").update(runDir).digest("hex").slice(0, 24)}.json`);
  const body = {
    runDir,
    host: (await fs.readFile("/proc/sys/kernel/hostname", "utf8")).trim(),
    createdAt: new Date().toISOString(),
    build: { job: name, number: 1, url: buildUrl, jenkinsUrl: jenkins.url },
    holder: await holder(holderAlive),
  };
  await fs.writeFile(file, JSON.stringify(body));
  return runDir;
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

async function sweep(token: string) {
  return run(path.join(SCRIPTS, "sweep.sh"), [], {
    env: nodeEnv({ RD_LEASE_DIR: leaseDir, JENKINS_URL: jenkins.url, RD_JENKINS_USER: jenkins.admin.id, RD_JENKINS_TOKEN: token }),
  });
}

describe("the sweep with Jenkins' answer", () => {
  it("should follow Jenkins over the holder process, count a stage build of a running pipeline as running, and not trust a refused token", async () => {
    const quick = await startBuild("quick");
    const busy = await startBuild("busy");
    await startBuild("owner");
    // The owner's blocking trigger has started and finished its stage build; the owner sleeps on.
    const stageUrl = `${jenkins.url}job/stage/1/`;
    for (let i = 0; i < 100 && !(await jenkins.request("job/stage/1/api/json")).ok; i++) await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 300; i++) {
      const b = (await (await jenkins.request("job/quick/1/api/json")).json()) as { building: boolean };
      if (!b.building) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const finishedButHolderAlive = await lease("quick", quick, true);
    const runningButHolderDead = await lease("busy", busy, false);
    const stageOfRunningOwner = await lease("stage", stageUrl, false);
    const unknownBuild = await lease("gone", `${jenkins.url}job/quick/99/`, true);

    // A token Jenkins refuses: no answer to trust, so the holder decides (alive: keep, dead: remove).
    const refused = await sweep("not-the-token");
    expect(refused.code).toBe(0);
    expect(await exists(finishedButHolderAlive)).toBe(true);
    expect(await exists(unknownBuild)).toBe(true);
    expect(await exists(runningButHolderDead)).toBe(false);
    expect(await exists(stageOfRunningOwner)).toBe(false);

    const runningAgain = await lease("busy-2", busy, false);
    const stageAgain = await lease("stage-2", stageUrl, false);
    const answered = await sweep(jenkins.admin.token);
    expect(answered.code).toBe(0);
    expect(answered.stderr).toContain(`asking ${jenkins.url} about each leased sandbox's build`);
    // Jenkins says over (finished, or a build it no longer has): removed though the holder lives.
    expect(await exists(finishedButHolderAlive)).toBe(false);
    expect(await exists(unknownBuild)).toBe(false);
    // Jenkins says running: kept though the holder is gone; the stage build's owner is still running.
    expect(await exists(runningAgain)).toBe(true);
    expect(await exists(stageAgain)).toBe(true);
    expect(answered.stdout.trim().split("\n").at(-1)).toBe("sandboxes left: 2");
    expect(`${answered.stdout}${answered.stderr}`).not.toContain(jenkins.admin.token);
  });
});
