import { setAllowedPrefixes } from "@/lib/credentials/key-paths";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { checkDrift, createSchedule } from "@/lib/schedules/manage";
import { pushKeyPathsToSchedules } from "@/lib/schedules/key-paths-push";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { SSH_CREDENTIAL_ID, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { finishedBuild, scheduleDeps, scheduleInput } from "./support";

// A schedule job carries its SSH key's directories (ALLOWED_PATH_PREFIXES), so the pipeline checks
// a timer build's path as it checks a portal run's; a manager's change of the directories reaches
// every job using the key. (That the pipeline refuses a path outside the list, "none" included, is
// tests/jobs/bad-input.test.ts.)

jest.setTimeout(120_000);

let fx: RunsFixture;
beforeAll(async () => {
  fx = await startRunsFixture();
});
afterAll(() => stopRunsFixture(fx));

const prefixesIn = (xml: string) => /ALLOWED_PATH_PREFIXES=([^\n<]*)/.exec(xml)?.[1];

describe.each(PROVIDERS)("schedule jobs and key directories on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
  });
  afterAll(() => t?.drop());

  const deps = () => scheduleDeps(t.db, fx.admin);

  it("should pass the key's directories to the pipeline from a timer build, and the new ones after a manager's change", async () => {
    await allowKeyPaths(t.db, SSH_CREDENTIAL_ID, ["/", "/srv/backups/"]);
    const manager = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), manager, scheduleInput(fx, { name: `Keys ${provider}` }));
    expect(prefixesIn(await fx.admin.getJobConfig(jobName))).toBe("/ /srv/backups/");

    await setAllowedPrefixes(t.db, manager, { credentialId: SSH_CREDENTIAL_ID, prefixes: ["/srv/backups/"] });
    const pushed = await pushKeyPathsToSchedules(deps(), manager, SSH_CREDENTIAL_ID);
    expect(pushed).toEqual({ updated: [`Keys ${provider}`], failed: [] });
    expect(prefixesIn(await fx.admin.getJobConfig(jobName))).toBe("/srv/backups/");
    expect(await checkDrift(deps(), id)).toBeNull();

    await finishedBuild(fx, jobName, await fx.emulator.fireTimer(jobName));
    const pipeline = await fx.admin.getJob(PIPELINE_JOB);
    const build = await fx.admin.getBuild(PIPELINE_JOB, pipeline.lastBuildNumber!);
    expect(build.parameters).toMatchObject({ ALLOWED_PATH_PREFIXES: "/srv/backups/" });

    await setAllowedPrefixes(t.db, manager, { credentialId: SSH_CREDENTIAL_ID, prefixes: [] });
    await pushKeyPathsToSchedules(deps(), manager, SSH_CREDENTIAL_ID);
    expect(prefixesIn(await fx.admin.getJobConfig(jobName))).toBe("none");
    const audit = await t.db.auditEvent.findFirst({ where: { action: "credential.paths.push" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ target: SSH_CREDENTIAL_ID, outcome: "success" });
  });

  it("should leave a job Jenkins would not update marked as changed, and touch no schedule of another key", async () => {
    await allowKeyPaths(t.db, SSH_CREDENTIAL_ID, ["/"]);
    const manager = await makeUser(t.db);
    const { id, jobName } = await createSchedule(deps(), manager, scheduleInput(fx, { name: `Gone ${provider}` }));
    await fx.admin.deleteJob(jobName);

    const pushed = await pushKeyPathsToSchedules(deps(), manager, SSH_CREDENTIAL_ID);
    expect(pushed.failed).toContain(`Gone ${provider}`);
    expect((await t.db.schedule.findUniqueOrThrow({ where: { id } })).drift).toBe("changed");
    expect(await pushKeyPathsToSchedules(deps(), manager, "another-key")).toEqual({ updated: [], failed: [] });
  });
});
