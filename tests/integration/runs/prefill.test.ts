import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { RUN_PARAMETERS, SCHEDULE_PARAMETERS } from "@/lib/pipeline/parameters";
import { prefillFromRun } from "@/lib/runs/prefill";

// "Run again" / "Make a schedule from this run": only the run id travels; the values come from
// the stored parameters, limited to the form's own fields.

jest.setTimeout(60_000);

describe.each(PROVIDERS)("forms pre-filled from a past run on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
  });
  afterAll(() => t?.drop());

  const stored = {
    backupHost: "db1.example.test",
    backupPort: 2222,
    backupPath: "/backups/shop.sql.gpg",
    dbType: "postgresql",
    sshCredentialId: "ops-ssh",
    gpgCredentialId: "ops-gpg",
    // Never a form field: must not be copied even if a row ever held it.
    passphrase: "hunter2",
  };
  const makeRun = (parameters: string) =>
    t.db.restoreRun.create({
      data: {
        parameters,
        source: "portal",
        status: "passed",
        backupHost: "h",
        backupPath: "/p",
        dbType: "postgresql",
        jobName: "restore-drill-pipeline",
      },
    });

  it("should give the run's parameters as form strings, only for the form's fields", async () => {
    const run = await makeRun(JSON.stringify(stored));
    const values = await prefillFromRun(t.db, run.id, RUN_PARAMETERS);
    expect(values).toMatchObject({
      backupHost: "db1.example.test",
      backupPort: "2222",
      backupPath: "/backups/shop.sql.gpg",
      dbType: "postgresql",
      sshCredentialId: "ops-ssh",
      gpgCredentialId: "ops-gpg",
    });
    expect(Object.keys(values).every((k) => RUN_PARAMETERS.some((row) => row.key === k))).toBe(true);
    expect(JSON.stringify(values)).not.toContain("hunter2");
    const schedule = await prefillFromRun(t.db, run.id, SCHEDULE_PARAMETERS);
    expect(schedule.backupPath).toBe("/backups/shop.sql.gpg");
    expect(Object.keys(schedule).every((k) => SCHEDULE_PARAMETERS.some((row) => row.key === k))).toBe(true);
  });

  it("should give an empty form for a missing, malformed or unknown id and for unreadable parameters", async () => {
    expect(await prefillFromRun(t.db, undefined, RUN_PARAMETERS)).toEqual({});
    expect(await prefillFromRun(t.db, ["a", "b"], RUN_PARAMETERS)).toEqual({});
    expect(await prefillFromRun(t.db, "../../etc", RUN_PARAMETERS)).toEqual({});
    expect(await prefillFromRun(t.db, "nosuchrun", RUN_PARAMETERS)).toEqual({});
    const broken = await makeRun("{not json");
    expect(await prefillFromRun(t.db, broken.id, RUN_PARAMETERS)).toEqual({});
  });
});
