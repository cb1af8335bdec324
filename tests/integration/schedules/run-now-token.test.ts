import { createSchedule, runScheduleNow } from "@/lib/schedules/manage";
import { PIPELINE_JOB } from "@/lib/validation/run";
import type { StartedClick } from "@/lib/schedules/run-now";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { makeUser, standInPipelineXml, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { finishedBuild, scheduleDeps, scheduleInput } from "./support";

// Run now is idempotent per click (issue 19 item 3): a repeat of the same click token — a double
// submit, a retried request, even concurrent — starts one build; a new click starts another.

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
beforeAll(async () => {
  [fx, t] = await Promise.all([startRunsFixture(), freshDatabase("sqlite")]);
  await allowKeyPaths(t.db);
});
afterAll(async () => {
  await stopRunsFixture(fx);
  await t?.drop();
});

const audited = (target: string) => t.db.auditEvent.count({ where: { action: "schedule.run-now", target, outcome: "success" } });

it("should start one build for repeats of one click, and a new build for a new click", async () => {
  const deps = scheduleDeps(t.db, fx.admin);
  const user = await makeUser(t.db);
  const { id, jobName } = await createSchedule(deps, user, scheduleInput(fx, { name: "Clicks" }));

  const [a, b] = await Promise.all([runScheduleNow(deps, user, id, "click-one-0001"), runScheduleNow(deps, user, id, "click-one-0001")]);
  expect(b.queueId).toBe(a.queueId);
  const first = await finishedBuild(fx, jobName, a.queueId);
  // A retry after the build ran still starts nothing new.
  expect((await runScheduleNow(deps, user, id, "click-one-0001")).queueId).toBe(a.queueId);
  expect(await audited(id)).toBe(1);

  const c = await runScheduleNow(deps, user, id, "click-two-0002");
  expect(c.queueId).not.toBe(a.queueId);
  const second = await finishedBuild(fx, jobName, c.queueId);
  expect(second.number).toBe(first.number + 1);
  expect(await audited(id)).toBe(2);
  expect((await fx.admin.listBuilds(jobName)).length).toBe(2);

  await expect(runScheduleNow(deps, user, id, "bad token!")).rejects.toThrow(/click token/);
  expect(await audited(id)).toBe(2);
});

it("should make two builds of two clicks while the first is still queued (RUN_NOW_CLICK keeps Jenkins from merging them)", async () => {
  const deps = scheduleDeps(t.db, fx.admin);
  const user = await makeUser(t.db);
  const { id, jobName } = await createSchedule(deps, user, scheduleInput(fx, { name: "Queued clicks" }));
  // The job is not concurrent: while the first build runs, the next two clicks wait in the queue side by side.
  const [first, b, c] = (await Promise.all(
    ["queued-click-01", "queued-click-02", "queued-click-03"].map((k) => runScheduleNow(deps, user, id, k)),
  )) as [StartedClick, StartedClick, StartedClick];
  expect(new Set([first.queueId, b.queueId, c.queueId]).size).toBe(3);
  const numbers = [];
  for (const q of [first, b, c]) numbers.push((await finishedBuild(fx, jobName, q.queueId)).number);
  expect(numbers).toEqual([1, 2, 3]);
});

it("should make two pipeline builds of two clicks, even while the first click's pipeline build is still queued", async () => {
  // A quiet period keeps the pipeline's queued items in the queue, where Jenkins merges identical ones.
  await fx.admin.updateJobConfig(PIPELINE_JOB, standInPipelineXml().replace("<properties>", "<quietPeriod>3</quietPeriod><properties>"));
  const deps = scheduleDeps(t.db, fx.admin);
  const user = await makeUser(t.db);
  const { id, jobName } = await createSchedule(deps, user, scheduleInput(fx, { name: "Two clicks" }));
  const before = (await fx.admin.listBuilds(PIPELINE_JOB)).length;

  const [a, b] = await Promise.all([runScheduleNow(deps, user, id, "click-five-0005"), runScheduleNow(deps, user, id, "click-six-00006")]);
  await Promise.all([finishedBuild(fx, jobName, a.queueId), finishedBuild(fx, jobName, b.queueId)]);
  // Each schedule build queued its pipeline build with its own RUN_NOW_CLICK (undeclared by the
  // pipeline, yet compared by Jenkins' queue): two pipeline builds, not one merged.
  const deadline = Date.now() + 30_000;
  while ((await fx.admin.listBuilds(PIPELINE_JOB)).length < before + 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  expect((await fx.admin.listBuilds(PIPELINE_JOB)).length).toBe(before + 2);
});
