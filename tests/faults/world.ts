import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/authenticate";
import { buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter } from "@/lib/jenkins";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { OPEN_STATUSES } from "@/lib/runs/status";
import { INTENT_LEASE_MS } from "@/lib/schedules/intent";
import { SCHEDULE_JOB_PREFIX } from "@/lib/schedules/job-xml";
import { checkDrift } from "@/lib/schedules/manage";
import { removeOrphanJobs } from "@/lib/schedules/orphan-jobs";
import { reconcileIntents } from "@/lib/schedules/reconcile-intents";
import { PIPELINE_GPG_JOB, PIPELINE_JOB } from "@/lib/validation/run";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { generateSshKeyPair } from "@/tests/support/keys";
import { makeUser, SSH_CREDENTIAL_ID, standInPipelineXml } from "../integration/runs/support";

// The fault suite's world: one emulator on a fixed port and home (so it can be killed and started
// again with its jobs, builds and credentials, as a Jenkins restart does), the stand-in pipelines
// of the run tests — which mail NOTIFY_EMAIL on failure through Jenkins' Mailer, like the real
// one — a SQLite portal database, and the "restart" that follows every fault: the reconciler's
// rounds (runs, schedule intents past their lease, orphan jobs). `inspect` then counts what the
// issue forbids.

export const PORTAL_URL = "http://portal.faults.test:3000";

export interface World {
  t: TestDatabase;
  emulator: TestEmulator;
  jenkins: JenkinsAdapter;
  user: SessionUser;
  work: string;
  backupPath(mode: "pass" | "fail" | "gate"): string;
  restartEmulator(): Promise<void>;
  stopEmulator(): Promise<void>;
  startEmulator(): Promise<void>;
  stop(): Promise<void>;
}

const withMailer = (xml: string) =>
  xml.replace(
    "<publishers>",
    "<publishers><hudson.tasks.Mailer><recipients>$NOTIFY_EMAIL</recipients><dontNotifyEveryUnstableBuild>false</dontNotifyEveryUnstableBuild></hudson.tasks.Mailer>",
  );

export async function startWorld(): Promise<World> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rd-faults-jenkins-"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "rd-faults-work-"));
  const token = randomBytes(16).toString("hex");
  const users = [{ id: "boss", apiTokens: [token], admin: true }];
  let emulator = await startTestEmulator({ home, users });
  const port = emulator.port;
  // Short timeouts, no retries: a dead Jenkins is found out at once.
  const jenkins = createJenkinsAdapter(
    jenkinsConfig({ url: emulator.url, credentials: { user: "boss", apiToken: token }, timeoutMs: 3000, retries: 0 }),
  );
  for (const job of [PIPELINE_JOB, PIPELINE_GPG_JOB]) await jenkins.createJob(job, withMailer(standInPipelineXml()));
  const key = await generateSshKeyPair({ type: "ed25519", dir: work });
  await jenkins.createCredential(
    new SecretValue(
      buildSshCredentialXml({ id: SSH_CREDENTIAL_ID, description: "faults key", username: "backup", privateKey: key.privateKey }),
    ),
  );
  fs.rmSync(key.privateKeyPath);
  const t = await freshDatabase("sqlite");
  await allowKeyPaths(t.db);
  const user = await makeUser(t.db);
  let running = true;
  let counter = 0;
  const world: World = {
    t,
    get emulator() {
      return emulator;
    },
    jenkins,
    user,
    work,
    backupPath: (mode) => path.join(work, `${mode}-${++counter}.sql`),
    async stopEmulator() {
      if (running) await emulator.close();
      running = false;
    },
    async startEmulator() {
      if (!running) emulator = await startTestEmulator({ home, users, port });
      running = true;
    },
    async restartEmulator() {
      await world.stopEmulator();
      await world.startEmulator();
    },
    async stop() {
      for (const file of fs.readdirSync(work)) if (file.startsWith("gate-")) fs.writeFileSync(path.join(work, `${file}.go`), "");
      await world.stopEmulator();
      await t.drop();
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * The portal after a restart, with Jenkins answering: reconciler rounds until no run is open
 * (lost triggers are given up after their grace, so time is moved on for those), and the
 * schedule intents and orphan jobs settled. Bounded: a run still open after this is "stuck".
 */
export async function recover(world: World, deadlineMs = 20_000): Promise<void> {
  const later = () => new Date(Date.now() + INTENT_LEASE_MS + 5 * 60_000);
  const { db } = world.t;
  await reconcileIntents({ db, jenkins: world.jenkins, portalUrl: PORTAL_URL, now: later });
  await removeOrphanJobs({ db, jenkins: world.jenkins, now: later });
  const deadline = Date.now() + deadlineMs;
  let rounds = 0;
  while (Date.now() < deadline) {
    // Every few rounds the clock is moved past the trigger grace, as minutes pass in real life.
    await reconcileOnce({ db, jenkins: world.jenkins, now: ++rounds % 4 === 0 ? later : undefined });
    if ((await db.restoreRun.count({ where: { status: { in: [...OPEN_STATUSES] } } })) === 0 && !(await anyBuildRunning(world))) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  // One more round after the last build ended: a build that finished last is taken in too.
  await reconcileOnce({ db, jenkins: world.jenkins, now: later });
}

async function anyBuildRunning(world: World): Promise<boolean> {
  const names = await world.jenkins.listJobNames();
  for (const name of names) for (const b of await world.jenkins.listBuilds(name, { limit: 5 })) if (b.building) return true;
  return false;
}

export interface Counts {
  runsLost: number;
  runsStuckOpen: number;
  schedulesHalfCreated: number;
  schedulesDrifted: number;
  intentsLeft: number;
  sandboxesLeft: number;
  duplicateMails: number;
}

export const ZERO: Counts = {
  runsLost: 0,
  runsStuckOpen: 0,
  schedulesHalfCreated: 0,
  schedulesDrifted: 0,
  intentsLeft: 0,
  sandboxesLeft: 0,
  duplicateMails: 0,
};

/** Counts everything the issue forbids, across the whole world (not only the last scenario). */
export async function inspect(world: World): Promise<Counts> {
  const { db } = world.t;
  const { jenkins } = world;
  const runs = await db.restoreRun.findMany();
  const counts: Counts = { ...ZERO };
  counts.runsStuckOpen = runs.filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status)).length;

  // Every pipeline build must be exactly one run's build, and a build naming a run (RUN_ID) its run's.
  const mailedBuilds = new Map<string, number>();
  const outbox = fs.existsSync(world.emulator.outboxDir) ? fs.readdirSync(world.emulator.outboxDir) : [];
  for (const file of outbox.filter((f) => f.endsWith(".eml"))) {
    const subject = /^Subject: (.*)$/m.exec(fs.readFileSync(path.join(world.emulator.outboxDir, file), "utf8"))?.[1] ?? file;
    const build = /(restore-drill-pipeline(?:-gpg)? #\d+)/.exec(subject)?.[1] ?? subject;
    mailedBuilds.set(build, (mailedBuilds.get(build) ?? 0) + 1);
  }
  for (const job of [PIPELINE_JOB, PIPELINE_GPG_JOB]) {
    for (const summary of await allBuilds(jenkins, job)) {
      const build = await jenkins.getBuild(job, summary.number);
      const holders = runs.filter((r) => r.jobName === job && r.buildNumber === build.number);
      const runId = build.parameters.RUN_ID ?? "";
      const owner = runId ? runs.find((r) => r.id === runId) : undefined;
      if (holders.length !== 1 || (runId && holders[0]?.id !== runId) || (owner && owner.status === "failed-to-start")) counts.runsLost++;
      const mails = mailedBuilds.get(`${job} #${build.number}`) ?? 0;
      // One build, one mail at most; and a mail for a build no run holds reports a run nobody sees.
      counts.duplicateMails += Math.max(0, mails - 1) + (mails > 0 && holders.length !== 1 ? 1 : 0);
    }
  }

  // Schedules: a row without its job, a marked job without its row, or a job not what the row says.
  const rows = await db.schedule.findMany();
  const jobs = new Set((await jenkins.listJobNames()).filter((n) => n.startsWith(SCHEDULE_JOB_PREFIX)));
  for (const row of rows) {
    if (!jobs.has(row.jobName)) counts.schedulesHalfCreated++;
    else if ((await checkDrift({ db, jenkins, portalUrl: PORTAL_URL }, row.id)) !== null) counts.schedulesDrifted++;
  }
  const owned = new Set(rows.map((r) => r.jobName));
  counts.schedulesHalfCreated += [...jobs].filter((j) => !owned.has(j)).length;
  counts.intentsLeft = await db.scheduleIntent.count();
  counts.sandboxesLeft = leftoverSandboxes(world.emulator.home);
  return counts;
}

async function allBuilds(jenkins: JenkinsAdapter, job: string) {
  const all = [];
  for (let offset = 0; ; offset += 100) {
    const page = await jenkins.listBuilds(job, { offset, limit: 100 });
    all.push(...page);
    if (page.length < 100) return all;
  }
}

/** Sandbox handles left in any workspace, and database servers still running from one. */
export function leftoverSandboxes(home: string): number {
  let left = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === "sandbox" && fs.existsSync(path.join(full, "handle.json"))) left++;
      else walk(full, depth + 1);
    }
  };
  walk(home, 0);
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmdline = "";
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (/(mariadbd|mysqld|postgres|sqlite3)\b/.test(cmdline) && cmdline.includes(home)) left++;
  }
  return left;
}

/** How many mails Jenkins sent (the emulator's outbox). */
export async function mailCount(world: World): Promise<number> {
  const dir = world.emulator.outboxDir;
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).length : 0;
}
