import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { queueIdFrom } from "@/tests/support/emulator";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// A Jenkins started on a fresh home numbers builds (and queue items) from 1 again. Runs that
// finished on the old Jenkins still hold those numbers; a new run given the same number must
// progress and close, a build Jenkins starts itself under such a number must be taken in, and
// the old runs keep their verdicts, reports and build links.

jest.setTimeout(150_000);

type Deps = { db: TestDatabase["db"]; jenkins: RunsFixture["admin"] };

async function reconcileUntilClosed(deps: Deps, runId: string) {
  return eventually(async () => {
    const summary = await reconcileOnce(deps);
    expect(summary.faults).toEqual([]);
    const run = await deps.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
    return run.status !== "queued" && run.status !== "running" ? run : null;
  }, `run ${runId} to close`);
}

describe.each(PROVIDERS)("a Jenkins whose build numbers restart, on %s", (provider) => {
  let t: TestDatabase;
  let fx: RunsFixture | undefined;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(async () => {
    await stopRunsFixture(fx);
    await t?.drop();
  });

  it("should let new runs take build numbers older, finished runs hold, and keep the old verdicts", async () => {
    const user = await makeUser(t.db);
    fx = await startRunsFixture();
    const oldJenkins = fx;
    const old = [];
    for (const mode of ["fail", "pass"] as const) {
      const { runId } = await startRun(
        { db: t.db, jenkins: oldJenkins.admin, portalUrl: "http://portal.example.test" },
        user,
        oldJenkins.params(oldJenkins.backupPath(mode)),
      );
      old.push(await reconcileUntilClosed({ db: t.db, jenkins: oldJenkins.admin }, runId));
    }
    expect(old.map((r) => [r.status, r.buildNumber])).toEqual([
      ["failed", 1],
      ["passed", 2],
    ]);
    await stopRunsFixture(oldJenkins);

    fx = await startRunsFixture();
    const deps = { db: t.db, jenkins: fx.admin };
    // A portal run: its queue item becomes build #1 again.
    const { runId } = await startRun({ ...deps, portalUrl: "http://portal.example.test" }, user, fx.params(fx.backupPath("pass")));
    const fresh = await reconcileUntilClosed(deps, runId);
    expect(fresh).toMatchObject({
      status: "passed",
      reasonCode: "OK",
      buildNumber: 1,
      buildUrl: `${fx.emulator.url}job/${PIPELINE_JOB}/1/`,
    });

    // A build started inside Jenkins, numbered #2 like the old passed run.
    const auth = `Basic ${Buffer.from(`boss:${fx.adminToken}`).toString("base64")}`;
    const body = new URLSearchParams({
      BACKUP_HOST: "db1.example.test",
      BACKUP_PATH: fx.backupPath("fail"),
      DB_TYPE: "mysql",
      SSH_CREDENTIAL_ID: "x",
    });
    const res = await fetch(new URL(`job/${PIPELINE_JOB}/buildWithParameters`, fx.emulator.url), {
      method: "POST",
      headers: { authorization: auth },
      body,
      redirect: "manual",
    });
    expect(res.status).toBe(201);
    await fx.emulator.waitForBuild(queueIdFrom(res)).catch(() => undefined);
    const pickedUp = await eventually(async () => {
      const summary = await reconcileOnce(deps);
      expect(summary.faults).toEqual([]);
      return t.db.restoreRun.findFirst({
        where: { jobName: PIPELINE_JOB, buildNumber: 2, source: "jenkins", status: { notIn: ["queued", "running"] } },
      });
    }, "the Jenkins-started build to be taken in and closed");
    expect(pickedUp).toMatchObject({
      status: "failed",
      reasonCode: "DUMP_TRUNCATED",
      buildUrl: `${fx.emulator.url}job/${PIPELINE_JOB}/2/`,
    });

    // The old runs keep everything but the number that now means another build.
    for (const before of old) {
      const after = await t.db.restoreRun.findUniqueOrThrow({ where: { id: before.id } });
      expect(after).toMatchObject({
        status: before.status,
        reasonCode: before.reasonCode,
        report: before.report,
        buildUrl: before.buildUrl,
        finishedAt: before.finishedAt,
        buildNumber: null,
      });
      expect(after.report).not.toBeNull();
    }
    // Later rounds change nothing and fail nothing.
    const summary = await reconcileOnce(deps);
    expect(summary).toMatchObject({ faults: [], pickedUp: 0, closed: 0 });
    expect(await t.db.restoreRun.count()).toBe(4);
  });
});
