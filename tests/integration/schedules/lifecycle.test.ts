import { JenkinsError } from "@/lib/jenkins";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { startedByLabel } from "@/lib/runs/started-by-label";
import { timerSpec, nextRuns } from "@/lib/schedules/cron";
import { renderScheduleJobXml } from "@/lib/schedules/job-xml";
import {
  checkDrift,
  createSchedule,
  deleteSchedule,
  repairSchedule,
  runScheduleNow,
  setScheduleEnabled,
  updateSchedule,
} from "@/lib/schedules/manage";
import { definitionForJob } from "@/lib/schedules/key-paths";
import { scheduleDetail } from "@/lib/schedules/view";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { canonicalXml } from "@/tools/jenkins/normalize-xml";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { PORTAL_URL, finishedBuild, isNotFound, scheduleDeps, scheduleInput } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// A schedule's life against the emulator (stand-in pipeline jobs) on SQLite and PostgreSQL:
// its Jenkins job follows every change, the timer's runs arrive in its history by themselves,
// drift is seen and repaired, and deleting it removes the job but keeps the history.

jest.setTimeout(120_000);

let fx: RunsFixture;
beforeAll(async () => {
  fx = await startRunsFixture();
});
afterAll(() => stopRunsFixture(fx));

const specOf = (xml: string) => /<spec>([\s\S]*?)<\/spec>/.exec(xml)?.[1];

describe.each(PROVIDERS)("schedules on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  const deps = () => scheduleDeps(t.db, fx.admin);

  it("should create the row and a Jenkins job carrying exactly the rendered config and timer spec", async () => {
    const user = await makeUser(t.db);
    const input = scheduleInput(fx, {
      name: `Create ${provider}`,
      frequency: "weekly",
      weekday: "1",
      time: "03:15",
      timeZone: "America/New_York",
    });
    const { id, jobName } = await createSchedule(deps(), user, input);
    expect(jobName).toBe(`restore-drill-schedule-create-${provider}`);

    const row = await t.db.schedule.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      name: input.name,
      jobName,
      enabled: true,
      frequency: "weekly",
      weekday: 1,
      time: "03:15",
      timeZone: "America/New_York",
      ownerEmail: user.email,
      createdByEmail: user.email,
      notifyEmails: "ops@example.test,dba@example.test",
    });
    const served = await fx.admin.getJobConfig(jobName);
    expect(canonicalXml(served)).toBe(
      canonicalXml(renderScheduleJobXml(await definitionForJob(t.db, row), `${PORTAL_URL}/api/runs/callback`)),
    );
    expect(specOf(served)).toBe("TZ=America/New_York\n15 3 * * 1");
    expect(served).toContain("<projects>restore-drill-pipeline</projects>");
    expect(served).toContain("<defaultValue>runs-test-ssh</defaultValue>");
    expect(await checkDrift(deps(), id)).toBeNull();
  });

  it("should refuse a duplicate name (any case) with a message on the name field, writing nothing", async () => {
    const user = await makeUser(t.db);
    await createSchedule(deps(), user, scheduleInput(fx, { name: `Dup ${provider}` }));
    const before = await t.db.schedule.count();
    await expect(createSchedule(deps(), user, scheduleInput(fx, { name: `DUP ${provider}` }))).rejects.toMatchObject({
      field: "name",
      message: expect.stringMatching(/already exists/),
    });
    expect(await t.db.schedule.count()).toBe(before);
    expect(await isNotFound(fx.admin.getJobConfig(`restore-drill-schedule-dup-${provider}-2`))).toBe(true);
  });

  it("should refuse an SSH key Jenkins does not hold, writing nothing", async () => {
    const user = await makeUser(t.db);
    await expect(
      createSchedule(deps(), user, scheduleInput(fx, { name: `Nokey ${provider}`, sshCredentialId: "no-such-key" })),
    ).rejects.toMatchObject({ field: "sshCredentialId" });
    expect(await t.db.schedule.findUnique({ where: { name: `Nokey ${provider}` } })).toBeNull();
    expect(await isNotFound(fx.admin.getJobConfig(`restore-drill-schedule-nokey-${provider}`))).toBe(true);
  });

  it("should change the job's spec when the time changes, and disable/enable it on pause/resume", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), user, scheduleInput(fx, { name: `Modify ${provider}` }));
    await updateSchedule(
      deps(),
      user,
      id,
      scheduleInput(fx, { name: `Modify ${provider}`, frequency: "monthly", dayOfMonth: "28", time: "23:05", timeZone: "Asia/Tokyo" }),
    );
    expect(specOf(await fx.admin.getJobConfig(jobName))).toBe("TZ=Asia/Tokyo\n5 23 28 * *");
    expect(await t.db.schedule.findUniqueOrThrow({ where: { id } })).toMatchObject({
      frequency: "monthly",
      dayOfMonth: 28,
      weekday: null,
      time: "23:05",
    });

    await setScheduleEnabled(deps(), user, id, false);
    expect((await fx.admin.getJob(jobName)).disabled).toBe(true);
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
    expect(await checkDrift(deps(), id)).toBeNull();
    await expect(runScheduleNow(deps(), user, id)).rejects.toThrow(/paused/);

    await setScheduleEnabled(deps(), user, id, true);
    expect((await fx.admin.getJob(jobName)).disabled).toBe(false);
    expect(await checkDrift(deps(), id)).toBeNull();
  });

  it("should take in a run started by the job's timer, with its verdict, in the schedule's history", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(
      deps(),
      user,
      scheduleInput(fx, { name: `Timer ${provider}`, backupPath: fx.backupPath("fail") }),
    );
    const scheduleBuild = await finishedBuild(fx, jobName, await fx.emulator.fireTimer(jobName));
    // The schedule job starts the pipeline without blocking on it: its own build succeeds, the verdict is the run's.
    expect(scheduleBuild.result).toBe("SUCCESS");

    const run = await eventually(async () => {
      await reconcileOnce({ db: t.db, jenkins: fx.admin });
      const r = await t.db.restoreRun.findFirst({ where: { scheduleId: id } });
      return r && r.status !== "running" ? r : null;
    }, "the timer's run to arrive and close");
    expect(run).toMatchObject({
      source: "schedule",
      jobName: PIPELINE_JOB,
      status: "failed",
      reasonCode: "DUMP_TRUNCATED",
      failedStage: "restore",
      startedByEmail: null,
    });
    expect(startedByLabel(run)).toBe("schedule timer");
    expect(JSON.parse(run.parameters)).toMatchObject({ sshCredentialId: "runs-test-ssh", backupHost: "db1.example.test" });
    const build = await fx.admin.getBuild(PIPELINE_JOB, run.buildNumber!);
    expect(build.causes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "upstream", upstreamJob: jobName })]));
    expect(build.parameters).toMatchObject({
      BACKUP_HOST: "db1.example.test",
      RUN_ID: "",
      CALLBACK_URL: `${PORTAL_URL}/api/runs/callback`,
      NOTIFY_EMAIL: "ops@example.test,dba@example.test",
    });

    const detail = await scheduleDetail(t.db, id);
    expect(detail?.history.map((h) => [h.status, h.buildNumber])).toEqual([["failed", run.buildNumber]]);
  });

  it("should start the job with its defaults on Run now", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), user, scheduleInput(fx, { name: `Now ${provider}` }));
    const { queueId } = await runScheduleNow(deps(), user, id);
    const build = await finishedBuild(fx, jobName, queueId);
    expect(build.result).toBe("SUCCESS");
    const run = await eventually(async () => {
      await reconcileOnce({ db: t.db, jenkins: fx.admin });
      return t.db.restoreRun.findFirst({ where: { scheduleId: id, status: "passed" } });
    }, "the Run now run to pass");
    expect(run.source).toBe("schedule");
    // Recorded once, from the audited click's queue id: the person, not "timer".
    expect(run.startedByEmail).toBe(user.email);
    expect(startedByLabel(run)).toBe(user.email);
  });

  it("should see a job edited or removed in Jenkins as drift, and repair it in one step", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), user, scheduleInput(fx, { name: `Drift ${provider}` }));
    const served = await fx.admin.getJobConfig(jobName);
    await fx.admin.updateJobConfig(jobName, served.replace(/<spec>[\s\S]*?<\/spec>/, "<spec>H * * * *</spec>"));
    expect(await checkDrift(deps(), id)).toBe("changed");
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id } })).drift).toBe("changed");
    await repairSchedule(deps(), user, id);
    expect(specOf(await fx.admin.getJobConfig(jobName))).toBe(timerSpec({ frequency: "daily", time: "02:30", timeZone: "Europe/Dublin" }));
    expect(await checkDrift(deps(), id)).toBeNull();

    await fx.admin.disableJob(jobName);
    expect(await checkDrift(deps(), id)).toBe("changed");
    await repairSchedule(deps(), user, id);
    expect((await fx.admin.getJob(jobName)).disabled).toBe(false);

    await fx.admin.deleteJob(jobName);
    expect(await checkDrift(deps(), id)).toBe("missing");
    await repairSchedule(deps(), user, id);
    expect(await checkDrift(deps(), id)).toBeNull();
  });

  it("should explain a Jenkins user without Job/Read instead of calling its job missing", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), user, scheduleInput(fx, { name: `Blind ${provider}` }));
    // What Jenkins answers a user with Overall/Read but no Job/Read (tests/integration/jenkins
    // holds the emulator to it): 404 for the job, and no job at all in the root's list.
    const blind = {
      ...deps(),
      jenkins: {
        ...fx.admin,
        getJobConfig: () => Promise.reject(new JenkinsError("not-found", `job.config ${jobName}`, "Not Found", 404)),
        listJobNames: async () => [],
      },
    };
    await expect(checkDrift(blind, id)).rejects.toMatchObject({ kind: "forbidden", message: expect.stringMatching(/cannot read jobs/) });
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id } })).drift).toBeNull();
    // The same 404 while other jobs are visible is a job really gone.
    await expect(checkDrift({ ...blind, jenkins: { ...blind.jenkins, listJobNames: async () => [PIPELINE_JOB] } }, id)).resolves.toBe(
      "missing",
    );
  });

  it("should delete the job and the schedule, keeping its past runs", async () => {
    const user = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), user, scheduleInput(fx, { name: `Delete ${provider}` }));
    const build = await finishedBuild(fx, jobName, await fx.emulator.fireTimer(jobName));
    expect(build.result).toBe("SUCCESS");
    const run = await eventually(async () => {
      await reconcileOnce({ db: t.db, jenkins: fx.admin });
      return t.db.restoreRun.findFirst({ where: { scheduleId: id, status: "passed" } });
    }, "the run to pass");

    await deleteSchedule(deps(), user, id);
    expect(await isNotFound(fx.admin.getJobConfig(jobName))).toBe(true);
    expect(await t.db.schedule.findUnique({ where: { id } })).toBeNull();
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      source: "schedule",
      scheduleId: null,
      status: "passed",
    });
    const audit = await t.db.auditEvent.findFirst({ where: { action: "schedule.delete", target: id } });
    expect(JSON.parse(audit!.details!)).toMatchObject({ name: `Delete ${provider}`, job: jobName });
  });

  it("should show the next run in the schedule's time zone from the job's own cron", async () => {
    const user = await makeUser(t.db);
    const { id } = await createSchedule(
      deps(),
      user,
      scheduleInput(fx, { name: `Next ${provider}`, time: "01:30", timeZone: "Europe/Dublin" }),
    );
    const now = new Date("2026-03-28T12:00:00Z");
    const detail = await scheduleDetail(t.db, id, 1, now);
    // 29 March 2026 is the spring-forward day in Dublin: 01:30 does not exist, so the next run is on the 30th.
    expect(nextRuns({ frequency: "daily", time: "01:30", timeZone: "Europe/Dublin" }, now, 1)[0]?.toISOString()).toBe(
      "2026-03-30T00:30:00.000Z",
    );
    expect(detail?.nextRuns[0]).toBe("Mon, 30 Mar 2026, 01:30 (Europe/Dublin)");
  });
});
