import { reconcileIntents } from "@/lib/schedules/reconcile-intents";
import { removeOrphanJobs } from "@/lib/schedules/orphan-jobs";
import { createSchedule } from "@/lib/schedules/manage";
import { type TestDatabase } from "@/tests/support/databases";
import { cutJenkins } from "@/tests/faults/cut-jenkins";
import { makeUser, type RunsFixture } from "../runs/support";
import { jenkinsSide, scheduleDeps, scheduleInput, withScheduleWorld } from "./support";

// Issue 13 item 4: Jenkins applies createItem, its answer is lost, and Jenkins then refuses
// connections, so the create's clean-up delete fails too. The job is an orphan (marked, no row):
// creating the schedule again takes the name back (no `…-2` beside it), and the reconciler
// removes an orphan nobody re-creates. Marked jobs of no schedule are removed; others stay.

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
withScheduleWorld((f, d) => ((fx = f), (t = d)));

const createCall = 2; // listCredentials, then createJob
const lostCreate = () => cutJenkins(fx.admin, createCall, "answer-lost", async () => undefined).jenkins;

it("should take the name back from the orphan when the schedule is created again", async () => {
  const user = await makeUser(t.db);
  const name = "Orphan again";
  await expect(createSchedule(scheduleDeps(t.db, lostCreate()), user, scheduleInput(fx, { name }))).rejects.toThrow(
    /did not answer in time|undoing it in Jenkins failed too/,
  );
  expect(await t.db.schedule.count({ where: { name } })).toBe(0);
  expect((await jenkinsSide(fx)).jobs).toEqual(["restore-drill-schedule-orphan-again"]);

  const { jobName } = await createSchedule(scheduleDeps(t.db, fx.admin), user, scheduleInput(fx, { name }));
  expect(jobName).toBe("restore-drill-schedule-orphan-again");
  expect((await jenkinsSide(fx)).jobs).toEqual(["restore-drill-schedule-orphan-again"]);
  // The first attempt's intent is settled by the reconciler, which leaves the new schedule's job alone.
  expect(await reconcileIntents({ db: t.db, jenkins: fx.admin, portalUrl: "http://portal.example.test:3000" })).toBe(1);
  expect((await jenkinsSide(fx)).jobs).toEqual(["restore-drill-schedule-orphan-again"]);
  expect(await t.db.scheduleIntent.count()).toBe(0);
});

it("should have the reconciler remove the orphan of a create that nobody retries", async () => {
  const user = await makeUser(t.db);
  const before = (await jenkinsSide(fx)).jobs;
  await expect(createSchedule(scheduleDeps(t.db, lostCreate()), user, scheduleInput(fx, { name: "Orphan alone" }))).rejects.toThrow();
  expect((await jenkinsSide(fx)).jobs).toContain("restore-drill-schedule-orphan-alone");
  // The failed create handed its intent over at once (no lease to wait for).
  expect(await reconcileIntents({ db: t.db, jenkins: fx.admin, portalUrl: "http://portal.example.test:3000" })).toBe(1);
  expect((await jenkinsSide(fx)).jobs).toEqual(before);
  expect(await t.db.scheduleIntent.count()).toBe(0);
  expect(await t.db.auditEvent.count({ where: { action: "schedule.reconcile", details: { contains: '"removed"' } } })).toBe(1);
});

it("should remove marked jobs that belong to no schedule, and leave every other job alone", async () => {
  const user = await makeUser(t.db);
  // A marked job whose intent is gone (a database restored from before the create, say).
  await expect(createSchedule(scheduleDeps(t.db, lostCreate()), user, scheduleInput(fx, { name: "Orphan lost intent" }))).rejects.toThrow();
  await t.db.scheduleIntent.deleteMany({});
  const foreign = "restore-drill-schedule-made-by-hand";
  await fx.admin.createJob(
    foreign,
    "<?xml version='1.0' encoding='UTF-8'?><project><description>someone's own job</description><builders/></project>",
  );
  const kept = (await jenkinsSide(fx)).jobs.filter((j) => j !== "restore-drill-schedule-orphan-lost-intent");

  expect(await removeOrphanJobs({ db: t.db, jenkins: fx.admin })).toEqual(["restore-drill-schedule-orphan-lost-intent"]);
  expect((await jenkinsSide(fx)).jobs).toEqual(kept);
  expect(kept).toContain(foreign);
  expect(kept).toContain("restore-drill-schedule-orphan-again");
});
