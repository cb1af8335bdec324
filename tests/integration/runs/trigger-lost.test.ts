import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { killSwitch } from "@/tests/support/kill-switch";
import { callbackResponse } from "@/lib/runs/callback-route";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { signCallback } from "@/lib/runs/signature";
import { startRun } from "@/lib/runs/start-run";
import { syncRun, TRIGGER_GRACE_MS } from "@/lib/runs/sync";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// The portal dies after Jenkins accepted the build but before the queue id was saved: the run
// knows no build, and after TRIGGER_GRACE_MS it is given up as failed-to-start (TRIGGER_LOST).
// The build carries the run's RUN_ID: when it shows up — as its callback or in the reconciler's
// pick-up — it attaches to the run and the run ends with the build's verdict.

jest.setTimeout(120_000);

const SECRET = "trigger-lost-test-secret-0123456789";
let fx: RunsFixture;
beforeAll(async () => {
  fx = await startRunsFixture();
});
afterAll(() => stopRunsFixture(fx));

describe.each(PROVIDERS)("a lost trigger on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  /** Starts a run and kills the portal right after Jenkins applied the trigger; gives the run up as TRIGGER_LOST. */
  async function lostRun(): Promise<{ runId: string; buildNumber: number }> {
    const kill = killSwitch("jenkins.triggerBuild", "after");
    const user = await makeUser(t.db);
    const operation = startRun(
      { db: kill.db(t.db), jenkins: kill.jenkins(fx.admin), portalUrl: "http://portal.test" },
      user,
      fx.params(fx.backupPath("pass")),
    );
    expect(await kill.outcome(operation)).toBe(true);
    const runId = (await t.db.restoreRun.findFirstOrThrow({ where: { startedById: user.id } })).id;
    const row = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
    expect(row).toMatchObject({ status: "queued", queueId: null, buildNumber: null });
    expect(await syncRun({ db: t.db, jenkins: fx.admin, now: () => new Date(Date.now() + TRIGGER_GRACE_MS + 1000) }, row)).toBe("closed");
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "failed-to-start",
      reasonCode: "TRIGGER_LOST",
    });
    const buildNumber = await eventually(async () => {
      for (const b of await fx.admin.listBuilds(PIPELINE_JOB, { limit: 10 })) {
        const build = await fx.admin.getBuild(PIPELINE_JOB, b.number);
        if (build.parameters.RUN_ID === runId && !build.building) return build.number;
      }
      return null;
    }, "the lost run's build to finish");
    return { runId, buildNumber };
  }

  it("should attach the build to its run and close the run with the callback's verdict", async () => {
    const { runId, buildNumber } = await lostRun();
    const body = JSON.stringify(await fx.admin.readRestoreReport(PIPELINE_JOB, buildNumber));
    const ts = Math.floor(Date.now() / 1000);
    const response = await callbackResponse(
      { db: t.db, secret: SECRET },
      new Request("http://portal.test/api/runs/callback", {
        method: "POST",
        body,
        headers: { "x-restore-drill-timestamp": String(ts), "x-restore-drill-signature": signCallback(SECRET, ts, body) },
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, closed: true, runId });
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "passed",
      reasonCode: "OK",
      buildNumber,
      finishedAt: expect.any(Date),
    });
    expect(await t.db.auditEvent.count({ where: { action: "run.attach", target: runId } })).toBe(1);
  });

  it("should attach the build to its run in the reconciler's pick-up and close it with the archived report", async () => {
    const { runId, buildNumber } = await lostRun();
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      status: "passed",
      reasonCode: "OK",
      buildNumber,
    });
    // Once attached, later rounds leave it alone and take in no second run for the build.
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    expect(await t.db.restoreRun.count({ where: { jobName: PIPELINE_JOB, buildNumber } })).toBe(1);
  });
});
