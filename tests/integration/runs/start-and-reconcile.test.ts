import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { getRunView } from "@/lib/runs/view";
import { PIPELINE_JOB, toBuildParameters } from "@/lib/validation/run";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// Starting runs and closing them without a callback: the reconciler follows the queue item to
// the build, reads the archived report, picks up builds started inside Jenkins, and ends runs
// whose build vanished as could-not-verify. Against SQLite and PostgreSQL.

jest.setTimeout(120_000);

let fx: RunsFixture;
beforeAll(async () => {
  fx = await startRunsFixture();
});
afterAll(() => stopRunsFixture(fx));

describe.each(PROVIDERS)("runs on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  const deps = () => ({ db: t.db, jenkins: fx.admin });
  const closeByReconciling = (runId: string) =>
    eventually(async () => {
      await reconcileOnce(deps());
      const run = await getRunView(t.db, runId);
      return run && run.status !== "queued" && run.status !== "running" ? run : null;
    }, `run ${runId} to close`);

  it("should record a started run with who, when, parameters and queue id, and trigger the pipeline with RUN_ID and CALLBACK_URL", async () => {
    const user = await makeUser(t.db);
    const params = fx.params(fx.backupPath("pass"));
    const { runId } = await startRun({ db: t.db, jenkins: fx.admin, portalUrl: "http://portal.example.test:3000" }, user, params);

    const row = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
    expect(row).toMatchObject({
      source: "portal",
      startedById: user.id,
      startedByEmail: user.email,
      jobName: PIPELINE_JOB,
      status: "queued",
    });
    expect(row.queueId).toEqual(expect.any(Number));
    expect(JSON.parse(row.parameters)).toEqual(params);
    const audit = await t.db.auditEvent.findFirst({ where: { action: "run.start", target: runId } });
    expect(audit?.outcome).toBe("success");

    const view = await closeByReconciling(runId);
    const build = await fx.admin.getBuild(PIPELINE_JOB, view.buildNumber!);
    expect(build.parameters).toMatchObject(
      toBuildParameters(params, { runId, callbackUrl: "http://portal.example.test:3000/api/runs/callback" }),
    );
    expect(view).toMatchObject({
      status: "passed",
      reasonCode: "OK",
      failedStage: null,
      totalRows: 57,
      startedByEmail: user.email,
      source: "portal",
    });
    expect(view.buildUrl).toBe(`${fx.emulator.url}job/${PIPELINE_JOB}/${view.buildNumber}/`);
    expect(view.tables).toEqual([
      { schema: "restore_drill", name: "customers", rows: 17 },
      { schema: "restore_drill", name: "invoices", rows: 40 },
    ]);
    expect(view.stages.map((s) => [s.name, s.status])).toEqual([
      ["decrypt", "passed"],
      ["deploy", "passed"],
      ["restore", "passed"],
      ["verify", "passed"],
      ["destroy", "passed"],
    ]);
    expect(view.integrity).toMatchObject({ result: "ok" });
    expect(view.durationMs).toEqual(expect.any(Number));
  });

  it("should close a failed restore as failed with the failing stage and reason first", async () => {
    const { runId } = await startRun(
      { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.example.test" },
      await makeUser(t.db),
      fx.params(fx.backupPath("fail")),
    );
    const view = await closeByReconciling(runId);
    expect(view).toMatchObject({ status: "failed", failedStage: "restore", reasonCode: "DUMP_TRUNCATED" });
    expect(view.stages.find((s) => s.name === "restore")?.status).toBe("failed");
    expect(view.stages.find((s) => s.name === "verify")?.status).toBe("skipped");
  });

  it("should end a build that archived no report as could-not-verify, never passed", async () => {
    const { runId } = await startRun(
      { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.example.test" },
      await makeUser(t.db),
      fx.params(fx.backupPath("noreport")),
    );
    const view = await closeByReconciling(runId);
    expect(view).toMatchObject({ status: "could-not-verify", reasonCode: "NO_REPORT" });
    expect(view.reason).toMatch(/without archiving restore-report\.json/);
  });

  it("should refuse an SSH key Jenkins does not hold, on the field, without creating a run", async () => {
    const before = await t.db.restoreRun.count();
    const error = await startRun(
      { db: t.db, jenkins: fx.admin, portalUrl: "http://p.example.test" },
      await makeUser(t.db),
      fx.params(fx.backupPath("pass"), { sshCredentialId: "no-such-key" }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DomainError", field: "sshCredentialId" });
    expect(await t.db.restoreRun.count()).toBe(before);
  });

  it("should pick up a pipeline build started inside Jenkins, once", async () => {
    const params = fx.params(fx.backupPath("pass"));
    const { queueId } = await fx.admin.triggerBuild(PIPELINE_JOB, toBuildParameters(params));
    const left = await fx.admin.waitForQueueItem(queueId, { pollMs: 100, timeoutMs: 20_000 });
    await fx.admin.waitForBuild(PIPELINE_JOB, left.buildNumber!, { pollMs: 100, timeoutMs: 20_000 });

    const first = await reconcileOnce(deps());
    expect(first.faults).toEqual([]);
    const picked = await t.db.restoreRun.findFirstOrThrow({ where: { jobName: PIPELINE_JOB, buildNumber: left.buildNumber } });
    expect(picked).toMatchObject({
      source: "jenkins",
      status: "passed",
      queueId,
      backupPath: params.backupPath,
      startedByEmail: "boss (Jenkins)",
    });
    const view = await getRunView(t.db, picked.id);
    expect(view?.parameters).toEqual(params);

    await reconcileOnce(deps());
    expect(await t.db.restoreRun.count({ where: { jobName: PIPELINE_JOB, buildNumber: left.buildNumber } })).toBe(1);
  });

  it("should end a run whose build vanished from Jenkins as could-not-verify with that reason", async () => {
    const job = `vanishing-${provider}`;
    await fx.admin.createJob(
      job,
      `<?xml version="1.0"?><project><builders><hudson.tasks.Shell><command>sleep 30</command></hudson.tasks.Shell></builders><publishers/><buildWrappers/><properties/></project>`,
    );
    const { queueId } = await fx.admin.triggerBuild(job);
    const left = await fx.admin.waitForQueueItem(queueId, { pollMs: 100, timeoutMs: 20_000 });
    const run = await t.db.restoreRun.create({
      data: {
        source: "portal",
        parameters: "{}",
        backupHost: "h",
        backupPath: "/p",
        dbType: "mysql",
        jobName: job,
        status: "queued",
        queueId,
      },
    });
    await reconcileOnce(deps());
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "running",
      buildNumber: left.buildNumber,
    });

    await fx.admin.stopBuild(job, left.buildNumber!);
    await fx.admin.waitForBuild(job, left.buildNumber!, { pollMs: 100, timeoutMs: 20_000 });
    await fx.admin.deleteJob(job);
    await reconcileOnce(deps());
    const view = await getRunView(t.db, run.id);
    expect(view).toMatchObject({ status: "could-not-verify", reasonCode: "BUILD_VANISHED" });
    expect(view?.reason).toContain(`Build #${left.buildNumber} of ${job} is gone from Jenkins`);
  });

  it("should end a run whose queue item expired without a build as could-not-verify", async () => {
    const run = await t.db.restoreRun.create({
      data: {
        source: "portal",
        parameters: "{}",
        backupHost: "h",
        backupPath: "/p",
        dbType: "mysql",
        jobName: PIPELINE_JOB,
        status: "queued",
        queueId: 987654,
      },
    });
    await reconcileOnce(deps());
    expect(await getRunView(t.db, run.id)).toMatchObject({ status: "could-not-verify", reasonCode: "QUEUE_ITEM_VANISHED" });
  });
});
