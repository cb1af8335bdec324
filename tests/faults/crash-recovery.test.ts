import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { jobNameFor, slugOf } from "@/lib/schedules/job-xml";
import {
  createSchedule,
  deleteSchedule,
  runScheduleNow,
  setScheduleEnabled,
  updateSchedule,
  type ScheduleDeps,
  type ScheduleJenkins,
} from "@/lib/schedules/manage";
import { scheduleInputSchema, type ScheduleInput } from "@/lib/schedules/schema";
import { runParametersSchema } from "@/lib/validation/run";
import { killSwitch, type KillPoint } from "@/tests/support/kill-switch";
import { startRealPipeline, type RealPipeline } from "../integration/jenkins/real-pipeline-fixture";
import { eventually, makeUser, SSH_CREDENTIAL_ID } from "../integration/runs/support";
import { cutJenkins, type CutMode } from "./cut-jenkins";
import { inspect, leftoverSandboxes, mailCount, PORTAL_URL, recover, startWorld, ZERO, type Counts, type World } from "./world";

// The fault suite (issue 13). For a run and for each schedule operation — create, modify, pause,
// resume, delete, run now — the portal is killed (kill -9, in-process: see kill-switch.ts) at
// every step before and after the step took effect, Jenkins' answers are cut at every step
// (applied but unanswered, then refused; or refused), or the emulator itself is stopped at every
// step. Then the portal "restarts" with Jenkins back (world.ts `recover`: the reconciler's
// rounds) and the whole world is counted: runs lost or stuck open, schedules half-created or out
// of line with their row, intents left, sandboxes left, duplicate mails — all must be 0. The
// closing line of the output gives the totals.

jest.setTimeout(600_000);

let world: World;
let scenarios = 0;
const totals: Counts = { ...ZERO };
let nameCounter = 0;

beforeAll(async () => {
  // Failed undos are logged on purpose; here they are the expected noise of every scenario.
  jest.spyOn(console, "error").mockImplementation(() => undefined);
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  world = await startWorld();
});
afterAll(async () => {
  const line = Object.entries(totals)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  process.stdout.write(`\nFAULT SUITE: ${scenarios} scenarios; ${line}\n\n`);
  await world?.stop();
});

type Fault = { kind: "kill"; point: KillPoint } | { kind: "cut"; mode: CutMode };
const FAULTS: Fault[] = [
  { kind: "kill", point: "before" },
  { kind: "kill", point: "after" },
  { kind: "cut", mode: "answer-lost" },
  { kind: "cut", mode: "refused" },
  { kind: "cut", mode: "emulator" },
];
const describeFault = (f: Fault) => (f.kind === "kill" ? `portal killed ${f.point} the step` : `Jenkins ${f.mode}`);

interface Deps {
  db: World["t"]["db"];
  jenkins: World["jenkins"];
}
const scheduleDeps = (d: Deps): ScheduleDeps => ({ db: d.db, jenkins: d.jenkins as ScheduleJenkins, portalUrl: PORTAL_URL });

/** Runs `operation` with fault `fault` at step n; returns whether the fault was reached (false: the operation made fewer steps). */
async function withFault(fault: Fault, n: number, operation: (d: Deps) => Promise<unknown>): Promise<boolean> {
  const clean: Deps = { db: world.t.db, jenkins: world.jenkins };
  if (fault.kind === "kill") {
    const kill = killSwitch(n, fault.point);
    return kill.outcome(operation({ db: kill.db(clean.db), jenkins: kill.jenkins(clean.jenkins) }));
  }
  const cut = cutJenkins(clean.jenkins, n, fault.mode, () => world.stopEmulator());
  try {
    await operation({ db: clean.db, jenkins: cut.jenkins });
  } catch (error) {
    // A fault reaches the user as a plain sentence, never as an injected or raw Prisma error.
    expect((error as Error).name).toMatch(/DomainError|JenkinsError/);
  }
  await world.startEmulator();
  return cut.hit();
}

/** Counts the world after recovery and adds it to the totals; the scenario fails on anything but 0. */
async function settle(label: string): Promise<void> {
  await recover(world);
  const counts = await inspect(world);
  scenarios++;
  for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += counts[key];
  expect({ label, ...counts }).toEqual({ label, ...ZERO });
}

function input(name: string, overrides: Record<string, unknown> = {}): ScheduleInput {
  return scheduleInputSchema.parse({
    name,
    backupHost: "db1.example.test",
    backupPort: "22",
    backupPath: world.backupPath("fail"),
    dbType: "mysql",
    sshCredentialId: SSH_CREDENTIAL_ID,
    gpgCredentialId: "",
    backupHostKey: "",
    sandboxProvider: "local",
    notify: "on",
    notifyEmail: "ops@example.test",
    frequency: "daily",
    time: "02:30",
    timeZone: "Europe/Dublin",
    ...overrides,
  });
}

/** Every schedule removed (with Jenkins answering), so each scenario starts from the same world. */
async function clearSchedules(): Promise<void> {
  for (const { id } of await world.t.db.schedule.findMany({ select: { id: true } }))
    await deleteSchedule(scheduleDeps({ db: world.t.db, jenkins: world.jenkins }), world.user, id);
}

interface ScheduleOperation {
  name: string;
  /** Makes the schedule the operation works on (without faults); returns its id. */
  prepare(name: string): Promise<string | null>;
  run(d: Deps, id: string | null, name: string): Promise<unknown>;
}

const clean = () => scheduleDeps({ db: world.t.db, jenkins: world.jenkins });
const OPERATIONS: ScheduleOperation[] = [
  { name: "create", prepare: async () => null, run: (d, _id, name) => createSchedule(scheduleDeps(d), world.user, input(name)) },
  {
    name: "modify",
    prepare: async (name) => (await createSchedule(clean(), world.user, input(name))).id,
    run: (d, id, name) =>
      updateSchedule(scheduleDeps(d), world.user, id!, input(name, { frequency: "weekly", weekday: "5", time: "04:45" })),
  },
  {
    name: "pause",
    prepare: async (name) => (await createSchedule(clean(), world.user, input(name))).id,
    run: (d, id) => setScheduleEnabled(scheduleDeps(d), world.user, id!, false),
  },
  {
    name: "resume",
    prepare: async (name) => {
      const { id } = await createSchedule(clean(), world.user, input(name));
      await setScheduleEnabled(clean(), world.user, id, false);
      return id;
    },
    run: (d, id) => setScheduleEnabled(scheduleDeps(d), world.user, id!, true),
  },
  {
    name: "delete",
    prepare: async (name) => (await createSchedule(clean(), world.user, input(name))).id,
    run: (d, id) => deleteSchedule(scheduleDeps(d), world.user, id!),
  },
  {
    name: "run now",
    prepare: async (name) => (await createSchedule(clean(), world.user, input(name))).id,
    run: (d, id) => runScheduleNow(scheduleDeps(d), world.user, id!),
  },
];

describe.each(OPERATIONS.map((op) => [op.name, op] as const))("schedule operation: %s", (_name, op) => {
  it.each(FAULTS.map((f) => [describeFault(f), f] as const))(
    "%s, at every step: both or neither, nothing left behind",
    async (_label, fault) => {
      for (let n = 1; n < 20; n++) {
        const name = `Faults ${++nameCounter}`;
        const id = await op.prepare(name);
        const hit = await withFault(fault, n, (d) => op.run(d, id, name));
        await settle(`${op.name} / ${describeFault(fault)} / step ${n}`);
        if (op.name === "create") {
          // Creating it again takes its own name: no `…-2` beside an orphan of the first attempt.
          if (!(await world.t.db.schedule.findUnique({ where: { name } }))) await createSchedule(clean(), world.user, input(name));
          expect((await world.t.db.schedule.findUniqueOrThrow({ where: { name } })).jobName).toBe(jobNameFor(slugOf(name)));
        }
        await clearSchedules();
        if (!hit) return;
      }
      throw new Error("the operation never got past its faults");
    },
  );
});

describe("a restore run", () => {
  const params = () =>
    runParametersSchema.parse({
      backupHost: "db1.example.test",
      backupPath: world.backupPath("fail"),
      dbType: "mysql",
      sshCredentialId: SSH_CREDENTIAL_ID,
      notifyEmail: "ops@example.test",
    });

  it.each(FAULTS.map((f) => [describeFault(f), f] as const))(
    "%s, at every step: no run lost or stuck open, one mail per failed build",
    async (_label, fault) => {
      for (let n = 1; n < 20; n++) {
        const hit = await withFault(fault, n, (d) =>
          startRun({ db: d.db, jenkins: d.jenkins, portalUrl: PORTAL_URL }, world.user, params()),
        );
        await settle(`run / ${describeFault(fault)} / step ${n}`);
        if (!hit) return;
      }
      throw new Error("the run never got past its faults");
    },
  );

  it("counts real mails: every failed build of the suite so far mailed its recipients once", async () => {
    const mails = await mailCount(world);
    const failedRuns = await world.t.db.restoreRun.count({ where: { status: "failed" } });
    expect(failedRuns).toBeGreaterThan(0);
    expect(mails).toBe(failedRuns);
  });

  it("Jenkins killed while the build runs: the run ends could-not-verify, nothing left", async () => {
    const gate = world.backupPath("gate");
    const { runId } = await startRun(
      { db: world.t.db, jenkins: world.jenkins, portalUrl: PORTAL_URL },
      world.user,
      runParametersSchema.parse({ ...params(), backupPath: gate }),
    );
    for (let i = 0; i < 100 && !(await world.jenkins.listBuilds("restore-drill-pipeline", { limit: 5 })).some((b) => b.building); i++)
      await new Promise((r) => setTimeout(r, 100));
    await world.restartEmulator();
    await settle("run / Jenkins killed mid-build");
    expect(await world.t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "could-not-verify" });
  });
});

// The sandbox count above is 0 by construction (the stand-in pipelines start none); here the real
// JJB pipeline deploys a MariaDB sandbox, the restore is held by an import that sleeps, and Jenkins is killed. The
// sweep (scripts/sweep.sh, issue 13 item 6) is what removes the sandbox of a build that died;
// without it this scenario cannot pass, so it runs where the sweep exists.
const SWEEP = path.resolve("scripts/sweep.sh");
(fs.existsSync(SWEEP) ? describe : describe.skip)("a real restore (JJB pipeline, sshd, MariaDB)", () => {
  let real: RealPipeline;
  beforeAll(async () => {
    real = await startRealPipeline("faults-real", "faults-real-ssh");
  }, 240_000);
  afterAll(() => real?.stop());

  it("Jenkins killed while the sandbox is up: after the restart no run is open and no sandbox is left", async () => {
    // A complete, valid dump: decrypt passes it and deploy starts the sandbox (decrypt runs first),
    // then the import sits in SLEEP with the sandbox up.
    const stalled = path.join(real.work, "stalled.sql");
    fs.writeFileSync(
      stalled,
      "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n" +
        "CREATE TABLE waits (id INT PRIMARY KEY);\nINSERT INTO waits VALUES (1);\nSELECT SLEEP(900);\n" +
        "-- Dump completed on 2026-12-04 10:00:00\n",
      { mode: 0o600 },
    );
    const user = await makeUser(real.t.db);
    const params = runParametersSchema.parse({
      backupHost: real.sshd.host,
      backupPort: real.sshd.port,
      backupPath: stalled,
      backupHostKey: real.sshd.hostPublicKey,
      dbType: "mysql",
      sshCredentialId: real.sshCredentialId,
    });
    const { runId } = await startRun({ db: real.t.db, jenkins: real.jenkins, portalUrl: real.portalUrl }, user, params);
    const home = real.emulator.home;
    await eventually(async () => leftoverSandboxes(home) > 0, "the sandbox to be up", 180_000, 500);
    await real.restartEmulator();
    await eventually(
      async () => {
        await reconcileOnce({ db: real.t.db, jenkins: real.jenkins });
        const run = await real.t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
        return run.status !== "queued" && run.status !== "running";
      },
      "the run to close after the restart",
      60_000,
      500,
    );
    // A sweeper already at work on the lease (the restarted Jenkins' own destroy, under load) makes
    // this one keep it for now: sweep again until none is left, for at most a minute.
    let sandboxesLeft = Infinity;
    for (let attempt = 0; attempt < 60 && sandboxesLeft > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
      execFileSync("bash", [SWEEP], { env: { ...process.env }, stdio: "pipe" });
      sandboxesLeft = leftoverSandboxes(home);
    }
    const counts: Counts = {
      ...ZERO,
      runsStuckOpen: await real.t.db.restoreRun.count({ where: { status: { in: ["queued", "running"] } } }),
      sandboxesLeft,
    };
    scenarios++;
    for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += counts[key];
    expect(counts).toEqual(ZERO);
  }, 400_000);
});
