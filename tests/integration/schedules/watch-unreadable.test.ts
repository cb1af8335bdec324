import { createSchedule } from "@/lib/schedules/manage";
import { startScheduleWatch } from "@/lib/schedules/watch";
import { type TestDatabase } from "@/tests/support/databases";
import { makeUser, type RunsFixture } from "../runs/support";
import { PORTAL_URL, scheduleDeps, scheduleInput, withScheduleWorld } from "./support";

// One schedule row whose stored parameters no longer parse (hand-edited, or left by an old
// version) must not stop the watch for every other schedule: the others' drift is still found,
// and the bad row is named in the log once, not on every round.

jest.setTimeout(60_000);

let fx: RunsFixture;
let t: TestDatabase;
withScheduleWorld((f, d) => ((fx = f), (t = d)));

it("should find the drift of a good schedule beside one whose parameters do not parse, and name the bad one once", async () => {
  const user = await makeUser(t.db);
  await t.db.schedule.create({
    data: {
      // Sorted first, so the check meets it before the good schedule.
      name: "A broken row",
      jobName: "restore-drill-schedule-a-broken-row",
      ownerEmail: user.email,
      parameters: "{}",
      frequency: "daily",
      time: "03:00",
      timeZone: "UTC",
      notifyEmails: "",
      createdByEmail: user.email,
      updatedByEmail: user.email,
    },
  });
  const { id, jobName } = await createSchedule(scheduleDeps(t.db, fx.admin), user, scheduleInput(fx, { name: "Good nightly" }));
  await fx.admin.deleteJob(jobName);

  const logged: string[] = [];
  const watch = startScheduleWatch({
    db: t.db,
    jenkins: () => fx.admin,
    portalUrl: () => PORTAL_URL,
    mailer: null,
    graceMinutes: 60,
    intervalMs: 50,
    driftEvery: 1,
    log: (m) => logged.push(m),
  });
  try {
    const deadline = Date.now() + 20_000;
    let drift: string | null = null;
    while (Date.now() < deadline && drift !== "missing") {
      await new Promise((r) => setTimeout(r, 100));
      drift = (await t.db.schedule.findUniqueOrThrow({ where: { id } })).drift;
    }
    expect(drift).toBe("missing");
    // A few more rounds: the bad row is still there, and still named only once.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    watch.stop();
  }
  expect(logged).toEqual(["drift not checked for schedules whose stored parameters do not parse: A broken row"]);
});
