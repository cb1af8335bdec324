import type { JenkinsErrorKind } from "@/lib/jenkins";
import { createSchedule, deleteSchedule, setScheduleEnabled, updateSchedule } from "@/lib/schedules/manage";
import { type TestDatabase } from "@/tests/support/databases";
import { makeUser, type RunsFixture } from "../runs/support";
import { databaseSide, failingOnCall, failingTransactions, jenkinsSide, scheduleDeps, scheduleInput, withScheduleWorld } from "./support";

// "Both or neither": every Jenkins call of every operation is made to fail in turn (refused —
// nothing reached Jenkins — and timed out — it may have), and then the database write; after
// each failure the schedule rows and every schedule job in Jenkins must be exactly as before.
// The loop ends when the operation makes fewer calls than the one chosen to fail, i.e. succeeds.

jest.setTimeout(180_000);

let fx: RunsFixture;
let t: TestDatabase;
withScheduleWorld((f, d) => ((fx = f), (t = d)));

type Operation = (deps: ReturnType<typeof scheduleDeps>) => Promise<unknown>;

/** Fails call 1, 2, … of `operation` until it succeeds; returns how many calls it makes. */
async function failEachStep(kind: JenkinsErrorKind, operation: Operation): Promise<{ steps: string[] }> {
  for (let n = 1; n < 20; n++) {
    const before = { db: await databaseSide(t.db), jenkins: await jenkinsSide(fx) };
    const faulty = failingOnCall(fx.admin, n, kind);
    let failed = false;
    try {
      await operation(scheduleDeps(t.db, faulty.jenkins));
    } catch (error) {
      failed = true;
      expect((error as Error).message).not.toMatch(/injected/i);
    }
    if (!failed) {
      expect(faulty.calls().length).toBeLessThan(n);
      return { steps: faulty.calls() };
    }
    expect({ n, step: faulty.calls()[n - 1], db: await databaseSide(t.db), jenkins: await jenkinsSide(fx) }).toEqual({
      n,
      step: faulty.calls()[n - 1],
      ...before,
    });
  }
  throw new Error("the operation never succeeded");
}

/** The database write fails after the Jenkins side was done: Jenkins must be put back. */
async function failDatabase(operation: Operation): Promise<void> {
  const before = { db: await databaseSide(t.db), jenkins: await jenkinsSide(fx) };
  await expect(operation(scheduleDeps(failingTransactions(t.db), fx.admin))).rejects.toThrow(/injected database failure/);
  expect({ db: await databaseSide(t.db), jenkins: await jenkinsSide(fx) }).toEqual(before);
}

describe.each<JenkinsErrorKind>(["unreachable", "timeout"])("with Jenkins failing (%s) at each step", (kind) => {
  it("should create, modify, pause, resume and delete in both or in neither", async () => {
    const user = await makeUser(t.db);
    const name = `Faults ${kind}`;

    await failDatabase((d) => createSchedule(d, user, scheduleInput(fx, { name })));
    const created = await failEachStep(kind, (d) => createSchedule(d, user, scheduleInput(fx, { name })));
    expect(created.steps).toEqual(["listCredentials", "createJob", "getJobConfig"]);
    const row = await t.db.schedule.findUniqueOrThrow({ where: { name } });

    const modified = scheduleInput(fx, { name, frequency: "weekly", weekday: "5", time: "04:45" });
    await failDatabase((d) => updateSchedule(d, user, row.id, modified));
    const updated = await failEachStep(kind, (d) => updateSchedule(d, user, row.id, modified));
    expect(updated.steps).toEqual(["listCredentials", "getJobConfig", "updateJobConfig", "getJobConfig"]);
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id: row.id } })).weekday).toBe(5);

    await failDatabase((d) => setScheduleEnabled(d, user, row.id, false));
    const paused = await failEachStep(kind, (d) => setScheduleEnabled(d, user, row.id, false));
    expect(paused.steps).toEqual(["disableJob", "getJobConfig"]);
    expect((await fx.admin.getJob(row.jobName)).disabled).toBe(true);

    await failDatabase((d) => setScheduleEnabled(d, user, row.id, true));
    await failEachStep(kind, (d) => setScheduleEnabled(d, user, row.id, true));
    expect((await fx.admin.getJob(row.jobName)).disabled).toBe(false);

    // Resuming what is already on (a second click, a stale tab) still asks Jenkins, and says when it is down.
    const again = failingOnCall(fx.admin, 1, kind);
    await expect(setScheduleEnabled(scheduleDeps(t.db, again.jenkins), user, row.id, true)).rejects.toMatchObject({
      name: "DomainError",
      code: "jenkins",
    });
    expect(again.calls()).toEqual(["enableJob"]);
    await expect(setScheduleEnabled(scheduleDeps(t.db, fx.admin), user, row.id, true)).resolves.toBe("unchanged");

    await failDatabase((d) => deleteSchedule(d, user, row.id));
    const deleted = await failEachStep(kind, (d) => deleteSchedule(d, user, row.id));
    expect(deleted.steps).toEqual(["getJobConfig", "deleteJob"]);
    expect(await t.db.schedule.findUnique({ where: { id: row.id } })).toBeNull();
    expect((await jenkinsSide(fx)).jobs).not.toContain(row.jobName);
  });
});
