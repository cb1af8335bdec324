import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { stageLogResponse, stageBuildsFromConsole, type StageLogBody } from "@/lib/runs/stage-logs";
import { startRun } from "@/lib/runs/start-run";
import { getRunView } from "@/lib/runs/view";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { freestyleJob } from "@/tests/integration/jenkins/support";

// Each stage's own console through the portal (issue 19 item 4), against the emulator: real
// stage jobs under the real names hold build #1 (the build the stand-in pipeline's pass mode
// names in its trigger lines); the route's function reads them with the portal's account.

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
const STAGES = ["decrypt", "deploy", "restore", "destroy"] as const;

beforeAll(async () => {
  [fx, t] = await Promise.all([startRunsFixture(), freshDatabase("sqlite")]);
  await allowKeyPaths(t.db);
  for (const stage of STAGES) {
    const job = `restore-drill-${stage}`;
    await fx.admin.createJob(job, freestyleJob({ command: `#!/bin/bash\necho "${stage} output from its own build"\nseq 1 3\n` }));
    const { queueId } = await fx.admin.triggerBuild(job);
    const queued = await fx.admin.waitForQueueItem(queueId);
    expect(queued.buildNumber).toBe(1);
    await fx.admin.waitForBuild(job, 1);
  }
});
afterAll(async () => {
  await stopRunsFixture(fx);
  await t?.drop();
});

const poll = (input: Record<string, unknown>) => stageLogResponse({ db: t.db, jenkins: fx.admin }, input);

it("should read the stage builds the pipeline console names, folder display names included", () => {
  const text = [
    "Waiting for the completion of restore-drill-decrypt-gpg",
    "\u001b[8mha:AAAA\u001b[0mrestore-drill-decrypt-gpg #7 started.",
    "drills » restore-drill-deploy #12 started.",
    "restore-drill-deploy #13 started.",
    "someone-else #3 started.",
  ].join("\r\n");
  expect(stageBuildsFromConsole(text)).toEqual([
    { stage: "decrypt", job: "restore-drill-decrypt-gpg", build: 7 },
    { stage: "deploy", job: "drills/restore-drill-deploy", build: 12 },
  ]);
});

it("should serve each stage build's console for a finished run, and resume from an offset", async () => {
  const { runId } = await startRun(
    { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.test" },
    await makeUser(t.db),
    fx.params(fx.backupPath("pass")),
  );
  await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    return (await getRunView(t.db, runId))?.status === "passed";
  }, "run to pass");
  for (const stage of STAGES) {
    const response = await poll({ id: runId, stage });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as StageLogBody;
    expect(body).toMatchObject({ stage, job: `restore-drill-${stage}`, build: 1, more: false });
    expect(body.text).toContain(`${stage} output from its own build\n1\n2\n3\n`);
    expect(body.text).toBe(await fx.admin.readFullLog(`restore-drill-${stage}`, 1));
    const again = (await (await poll({ id: runId, stage, start: String(body.next) })).json()) as StageLogBody;
    expect(again).toMatchObject({ text: "", next: body.next, more: false });
  }
  // The pipeline's own console does not carry the stage output: only the portal's stage log does.
  expect(await fx.admin.readFullLog(PIPELINE_JOB, (await getRunView(t.db, runId))!.buildNumber!)).not.toContain(
    "output from its own build",
  );
});

it("should answer 400 to bad parameters and 404 to an unknown run, and say when a stage has not started", async () => {
  for (const input of [
    { id: "../etc", stage: "deploy" },
    { id: "ok", stage: "verify" },
    { id: "ok", stage: "deploy", start: "-1" },
    { id: "ok", stage: "deploy", start: "x" },
    { id: "ok", stage: "deploy", extra: 1 },
  ]) {
    expect({ input, status: (await poll(input)).status }).toEqual({ input, status: 400 });
  }
  expect((await poll({ id: "nope", stage: "deploy" })).status).toBe(404);

  const { runId } = await startRun(
    { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.test" },
    await makeUser(t.db),
    fx.params(fx.backupPath("noreport")),
  );
  const body = await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    const b = (await (await poll({ id: runId, stage: "restore" })).json()) as StageLogBody;
    return b.more ? null : b;
  }, "pipeline to end");
  expect(body).toEqual({ stage: "restore", job: null, build: null, text: "", next: 0, more: false });
});
