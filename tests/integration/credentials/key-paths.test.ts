import { keyPathsFormSchema, setAllowedPrefixes } from "@/lib/credentials/key-paths";
import { startRun } from "@/lib/runs/start-run";
import { createSchedule, runScheduleNow } from "@/lib/schedules/manage";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { makeUser, SSH_CREDENTIAL_ID, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { jenkinsSide, scheduleDeps, scheduleInput } from "../schedules/support";

// Issue 13 item 9: an SSH key reads only the directories a manager gave it. A run or schedule
// naming a file outside them (/etc/shadow) is refused with a plain message before anything is
// recorded or sent to Jenkins; a run inside them passes the list on to the pipeline
// (ALLOWED_PATH_PREFIXES), whose decrypt step checks it again (tests/jobs/bad-input.test.ts).

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
beforeAll(async () => {
  fx = await startRunsFixture();
  t = await freshDatabase("sqlite");
});
afterAll(async () => {
  await t?.drop();
  await stopRunsFixture(fx);
});

const manager = { id: "m1", email: "manager@example.test" };
const allow = (prefixes: string) =>
  setAllowedPrefixes(t.db, manager, keyPathsFormSchema.parse({ credentialId: SSH_CREDENTIAL_ID, prefixes }));
const deps = () => ({ db: t.db, jenkins: fx.admin, portalUrl: "http://portal.test" });

it("should refuse every run with a key that has no directories yet, recording nothing", async () => {
  const user = await makeUser(t.db);
  await expect(startRun(deps(), user, fx.params(fx.backupPath("pass")))).rejects.toMatchObject({
    name: "DomainError",
    field: "backupPath",
    message: `The SSH key '${SSH_CREDENTIAL_ID}' has no directories it may read yet. A manager sets them on the Credentials page.`,
  });
  expect(await t.db.restoreRun.count()).toBe(0);
});

it("should refuse /etc/shadow and a look-alike directory, and run a backup inside the key's directories", async () => {
  await allow(`${fx.work}\n/var//backups`);
  const user = await makeUser(t.db);
  for (const outside of ["/etc/shadow", `${fx.work}-other/x.sql`]) {
    await expect(startRun(deps(), user, fx.params(outside))).rejects.toMatchObject({
      field: "backupPath",
      message: expect.stringContaining(`may only read files under ${fx.work}/, /var/backups/`),
    });
  }
  expect(await t.db.restoreRun.count()).toBe(0);

  const { runId } = await startRun(deps(), user, fx.params(fx.backupPath("pass")));
  const run = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
  const item = await fx.admin.waitForQueueItem(run.queueId!, { timeoutMs: 30_000, pollMs: 100 });
  const build = await fx.admin.getBuild(PIPELINE_JOB, item.buildNumber!);
  expect(build.parameters.ALLOWED_PATH_PREFIXES).toBe(`${fx.work}/ /var/backups/`);
  expect(await t.db.auditEvent.count({ where: { action: "credential.paths", target: SSH_CREDENTIAL_ID } })).toBe(1);
});

it("should refuse a schedule outside the directories at the form, and its Run now once they are narrowed", async () => {
  await allow(fx.work);
  const user = await makeUser(t.db);
  const before = await jenkinsSide(fx);
  await expect(
    createSchedule(scheduleDeps(t.db, fx.admin), user, scheduleInput(fx, { name: "Shadow", backupPath: "/etc/shadow" })),
  ).rejects.toMatchObject({ field: "backupPath" });
  expect(await jenkinsSide(fx)).toEqual(before);
  expect(await t.db.schedule.count()).toBe(0);

  const { id } = await createSchedule(scheduleDeps(t.db, fx.admin), user, scheduleInput(fx, { name: "Inside" }));
  await allow("/var/backups/");
  await expect(runScheduleNow(scheduleDeps(t.db, fx.admin), user, id)).rejects.toMatchObject({
    name: "DomainError",
    message: expect.stringContaining("may only read files under /var/backups/"),
  });
});

it("should refuse directories that are not absolute, climb with .., or use other characters", () => {
  for (const bad of ["backups/", "/var/../etc/", "/var/./x", "/var/back ups/", "/var/$(id)/"]) {
    expect(keyPathsFormSchema.safeParse({ credentialId: SSH_CREDENTIAL_ID, prefixes: bad }).success).toBe(false);
  }
  expect(keyPathsFormSchema.parse({ credentialId: SSH_CREDENTIAL_ID, prefixes: " /b//c \n\n/a\n/a/" }).prefixes).toEqual(["/a/", "/b/c/"]);
});
