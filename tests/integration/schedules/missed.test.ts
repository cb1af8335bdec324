import { smtpMailer, mailSettings } from "@/lib/shared/mail";
import { createSchedule, setScheduleEnabled } from "@/lib/schedules/manage";
import { checkMissedRuns } from "@/lib/schedules/missed";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from "@/tests/support/servers/smtp";
import { makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { PORTAL_URL, scheduleDeps, scheduleInput } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// Missed runs: past its due time + grace with no verdict, a schedule is flagged and its
// recipients get one mail per miss, over real SMTP to a local catcher (smtp-server).

jest.setTimeout(60_000);

let fx: RunsFixture;
let t: TestDatabase;
let smtp: SmtpCatcher;
let smtpUrl: string;
let caught: CaughtMail[];

beforeAll(async () => {
  fx = await startRunsFixture();
  t = await freshDatabase("sqlite");
  await allowKeyPaths(t.db);
  smtp = await startSmtpCatcher();
  ({ url: smtpUrl, caught } = smtp);
});
afterAll(async () => {
  await smtp?.close();
  await t?.drop();
  await stopRunsFixture(fx);
});

it("should flag a schedule whose due run produced no verdict, mail its recipients once, and clear it when a verdict arrives", async () => {
  const user = await makeUser(t.db);
  const { id } = await createSchedule(
    scheduleDeps(t.db, fx.admin),
    user,
    scheduleInput(fx, { name: "Missed nightly", time: "02:30", timeZone: "Europe/Dublin" }),
  );
  await t.db.schedule.update({ where: { id }, data: { activeSince: new Date("2026-06-01T12:00:00Z") } });
  const mailer = smtpMailer(mailSettings({ SMTP_URL: smtpUrl, MAIL_FROM: "drill@example.test" })!);
  const check = (now: string) => checkMissedRuns({ db: t.db, mailer, graceMinutes: 15, portalUrl: PORTAL_URL, now: () => new Date(now) });

  // 02:30 Dublin (IST) = 01:30 UTC; within the grace period nothing is missed yet.
  expect((await check("2026-06-02T01:40:00Z")).flagged).toEqual([]);
  const first = await check("2026-06-02T01:46:00Z");
  expect(first).toMatchObject({ flagged: [id], mailed: [id] });
  const row = await t.db.schedule.findUniqueOrThrow({ where: { id } });
  expect(row.missedDueAt?.toISOString()).toBe("2026-06-02T01:30:00.000Z");
  expect(row.missedSince?.toISOString()).toBe("2026-06-02T01:46:00.000Z");

  expect(caught).toHaveLength(1);
  expect(caught[0]!.to.sort()).toEqual(["dba@example.test", "ops@example.test"]);
  expect(caught[0]!.data).toMatch(/Subject: Restore Drill: scheduled restore "Missed nightly" did not run/);
  expect(caught[0]!.data).toMatch(/From: drill@example\.test/);
  expect(caught[0]!.data).toContain(`${PORTAL_URL}/schedules/${id}`);
  expect(caught[0]!.data).toContain("restore-drill-schedule-missed-nightly");

  // Once per miss: later rounds for the same due time send nothing more.
  expect((await check("2026-06-02T05:00:00Z")).mailed).toEqual([]);
  expect(caught).toHaveLength(1);

  // The next due time is missed too: one more mail.
  expect((await check("2026-06-03T02:00:00Z")).mailed).toEqual([id]);
  expect(caught).toHaveLength(2);

  // A verdict for the latest due time clears the flag.
  await t.db.restoreRun.create({
    data: {
      source: "schedule",
      scheduleId: id,
      parameters: "{}",
      backupHost: "h",
      backupPath: "/p",
      dbType: "mysql",
      jobName: "restore-drill-pipeline",
      status: "passed",
      startedAt: new Date("2026-06-04T01:30:05Z"),
    },
  });
  expect((await check("2026-06-04T02:00:00Z")).cleared).toEqual([id]);
  expect(await t.db.schedule.findUniqueOrThrow({ where: { id } })).toMatchObject({ missedSince: null, missedDueAt: null });
  expect(caught).toHaveLength(2);
});

it("should not flag a paused schedule, nor due times from before it was resumed", async () => {
  const user = await makeUser(t.db);
  const deps = scheduleDeps(t.db, fx.admin);
  const { id } = await createSchedule(deps, user, scheduleInput(fx, { name: "Paused nightly", time: "02:30", timeZone: "UTC" }));
  await setScheduleEnabled(deps, user, id, false);
  const check = (now: string) =>
    checkMissedRuns({ db: t.db, mailer: null, graceMinutes: 15, portalUrl: PORTAL_URL, now: () => new Date(now) });
  await t.db.schedule.update({ where: { id }, data: { activeSince: new Date("2026-06-01T00:00:00Z") } });
  expect((await check("2026-06-02T03:00:00Z")).flagged).not.toContain(id);
  await t.db.schedule.update({ where: { id }, data: { enabled: true, activeSince: new Date("2026-06-02T03:00:00Z") } });
  expect((await check("2026-06-02T04:00:00Z")).flagged).not.toContain(id);
  expect((await check("2026-06-03T02:50:00Z")).flagged).toContain(id);
});
