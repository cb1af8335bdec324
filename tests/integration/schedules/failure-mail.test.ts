import { promises as fs } from "node:fs";
import path from "node:path";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { buildRefSchema, byBuildPath, runIdForBuild } from "@/lib/runs/by-build";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { createSchedule, runScheduleNow, type ScheduleDeps } from "@/lib/schedules/manage";
import { scheduleInputSchema } from "@/lib/schedules/schema";
import { PIPELINE_JOB } from "@/lib/validation/run";
import type { TestDatabase } from "@/tests/support/databases";
import type { TestEmulator } from "@/tests/support/emulator";
import type { SampleFactory } from "@/tests/support/servers/samples";
import type { SshdServer } from "@/tests/support/servers/sshd";
import { startRealPipeline, type RealPipeline } from "../jenkins/real-pipeline-fixture";
import { eventually, makeUser } from "../runs/support";

// The failure e-mail of a scheduled run, end to end: the real JJB jobs (provisioned into the
// emulator), a real sshd and sqlite3, a schedule created by the portal. The pipeline's Mailer
// writes to the emulator's outbox; the mail must reach the schedule's recipients and name the
// schedule, the reason, the Jenkins build and a portal link that resolves to the recorded run.

jest.setTimeout(240_000);

const SSH_ID = "failure-mail-ssh";
const RECIPIENTS = ["ops@example.test", "dba@example.test"];

let fx: RealPipeline;
let work: string;
let emulator: TestEmulator;
let jenkins: JenkinsAdapter;
let sshd: SshdServer;
let samples: SampleFactory;
let t: TestDatabase;
let portalUrl: string;

beforeAll(async () => {
  // One node with the 2 executors deploy/jenkins/casc.yaml gives its agent: a scheduled run must
  // fit in them (a blocking schedule job would hold a third and wait forever for the stage).
  fx = await startRealPipeline("failure-mail", SSH_ID, {
    nodes: [{ name: "built-in", labels: ["built-in", "restore-drill"], executors: 2 }],
  });
  ({ work, emulator, jenkins, sshd, samples, t, portalUrl } = fx);
});

afterAll(() => fx?.stop());

const deps = (): ScheduleDeps => ({ db: t.db, jenkins, portalUrl });

function scheduleInput(name: string, backupPath: string) {
  return scheduleInputSchema.parse({
    name,
    backupHost: sshd.host,
    backupPort: String(sshd.port),
    backupPath,
    backupHostKey: sshd.hostPublicKey,
    dbType: "sqlite",
    sshCredentialId: SSH_ID,
    gpgCredentialId: "",
    sandboxProvider: "local",
    notify: "on",
    notifyEmail: RECIPIENTS.join(", "),
    frequency: "daily",
    time: "04:10",
    timeZone: "Europe/Dublin",
  });
}

interface Mail {
  headers: Record<string, string>;
  body: string;
}

/** Every message the pipeline job's Mailer wrote to the emulator's outbox, parsed. */
async function pipelineMails(): Promise<Mail[]> {
  const files = (await fs.readdir(emulator.outboxDir).catch(() => [] as string[])).filter((f) => f.endsWith(".eml")).sort();
  const mails: Mail[] = [];
  for (const file of files) {
    const text = await fs.readFile(path.join(emulator.outboxDir, file), "utf8");
    const cut = text.indexOf("\n\n");
    const headers = Object.fromEntries(
      text
        .slice(0, cut)
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]),
    );
    if (headers["X-Jenkins-Job"] === PIPELINE_JOB) mails.push({ headers, body: text.slice(cut + 2) });
  }
  return mails;
}

/** The schedule job's build for a queue item, once finished (it blocks on the pipeline). */
async function finishedScheduleBuild(jobName: string, queueId: number) {
  const item = await jenkins.waitForQueueItem(queueId, { timeoutMs: 60_000, pollMs: 200 });
  if (item.buildNumber === undefined) throw new Error(`queue item ${queueId} of ${jobName} was cancelled`);
  return jenkins.waitForBuild(jobName, item.buildNumber, { timeoutMs: 180_000, pollMs: 200 });
}

async function closedRunOf(scheduleId: string) {
  return eventually(
    async () => {
      await reconcileOnce({ db: t.db, jenkins });
      const run = await t.db.restoreRun.findFirst({ where: { scheduleId }, orderBy: { createdAt: "desc" } });
      return run && run.status !== "running" && run.status !== "queued" ? run : null;
    },
    "the scheduled run to be recorded with its verdict",
    60_000,
    250,
  );
}

// Runs first: Jenkins' Mailer also writes "back to normal" when a build passes after a failed one.
it("should send no mail when a scheduled run passes", async () => {
  const backupPath = await samples.make("sqlite-db", [{ name: "ledger", rows: 9 }], "ledger-good.db");
  const user = await makeUser(t.db);
  const { id, jobName } = await createSchedule(deps(), user, scheduleInput("Ledger nightly (pass)", backupPath));
  const { queueId } = await runScheduleNow(deps(), user, id);
  const build = await finishedScheduleBuild(jobName, queueId);

  const run = await closedRunOf(id);
  if (run.status !== "passed") throw new Error(`run ${run.status}: ${run.reasonCode} ${run.reason}`);
  expect(build.result).toBe("SUCCESS");
  // The console carries the summary block all the same, with this schedule's run link.
  const log = await jenkins.readFullLog(PIPELINE_JOB, run.buildNumber!);
  expect(log).toContain("Schedule: Ledger nightly (pass)\n");
  expect(log).toContain(`Run page: ${portalUrl}/runs/by-build/${PIPELINE_JOB}/${run.buildNumber}\n`);
  expect(await pipelineMails()).toEqual([]);
});

it("should mail the schedule's recipients on failure with the schedule, the reason and links to the run page and the build", async () => {
  const name = "Ledger nightly (EU) v2.1";
  const missing = path.join(work, "backups", "no-such-ledger.db");
  const user = await makeUser(t.db);
  const { id, jobName } = await createSchedule(deps(), user, scheduleInput(name, missing));
  const scheduleBuild = await finishedScheduleBuild(jobName, await emulator.fireTimer(jobName));
  // The schedule job only starts the pipeline (it does not block on it): the verdict is the pipeline's.
  expect(scheduleBuild.result).toBe("SUCCESS");

  const run = await closedRunOf(id);
  expect(run).toMatchObject({
    source: "schedule",
    jobName: PIPELINE_JOB,
    status: "failed",
    failedStage: "decrypt",
    reasonCode: "FILE_MISSING",
  });
  const buildUrl = `${emulator.url.replace(/\/$/, "")}/job/${PIPELINE_JOB}/${run.buildNumber}/`;

  const mails = await eventually(async () => {
    const found = await pipelineMails();
    return found.length > 0 ? found : null;
  }, "the failure mail in the outbox");
  expect(mails).toHaveLength(1);
  const [mail] = mails;
  expect(mail!.headers).toMatchObject({
    To: RECIPIENTS.join(", "),
    Subject: `Build failed in Jenkins: ${PIPELINE_JOB} #${run.buildNumber}`,
    "X-Jenkins-Result": "FAILURE",
  });
  expect(mail!.body.startsWith(`See <${buildUrl}>\n`)).toBe(true);
  expect(mail!.body).toContain("\nVerdict: failed (stage decrypt)\n");
  expect(mail!.body).toContain(`\nReason: FILE_MISSING - ${run.reason}\n`);
  expect(run.reason).toContain(missing);
  expect(mail!.body).toContain(`\nSchedule: ${name}\n`);
  expect(mail!.body).toContain(`\nJenkins build: ${buildUrl}\n`);

  // The portal link: a timer build has no RUN_ID, so the run is found by job and build number.
  const link = /\nRun page: (\S+)\n/.exec(mail!.body)?.[1];
  expect(link).toBe(`${portalUrl}/runs/by-build/${PIPELINE_JOB}/${run.buildNumber}`);
  const [, , , job, build] = new URL(link!).pathname.split("/");
  const ref = buildRefSchema.parse({ job, build });
  expect(byBuildPath(ref)).toBe(new URL(link!).pathname);
  expect(await runIdForBuild(t.db, ref)).toBe(run.id);
  expect(await runIdForBuild(t.db, { job: PIPELINE_JOB, build: run.buildNumber! + 1000 })).toBeNull();
});
