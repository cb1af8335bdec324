import { load } from "js-yaml";
import { exportSchedulesYaml } from "@/lib/schedules/export";
import { jobNameFor, slugOf } from "@/lib/schedules/job-xml";
import { scheduleInputSchema, splitInput } from "@/lib/schedules/schema";
import { shrinkFields } from "@/lib/validation/schedule";

// The schedule form's rules (one schema for browser, action and job) and the names it leads to.

const valid = {
  name: "Shop DB",
  backupHost: "db1.example.com",
  backupPath: "/srv/backups/shop.sql.gz",
  dbType: "mysql",
  sshCredentialId: "ssh-a",
  frequency: "daily",
  time: "02:30",
  timeZone: "Europe/Dublin",
};

const errorsOf = (input: Record<string, unknown>) => {
  const parsed = scheduleInputSchema.safeParse(input);
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("schedule input", () => {
  it("should accept a daily schedule and split it into run parameters and timing", () => {
    const { name, parameters, when } = splitInput(scheduleInputSchema.parse(valid));
    expect(name).toBe("Shop DB");
    expect(parameters).toMatchObject({ backupPort: 22, gpgCredentialId: "", notifyEmail: "", sandboxProvider: "local" });
    expect(when).toEqual({ frequency: "daily", time: "02:30", timeZone: "Europe/Dublin" });
  });

  it("should take weekday 0 as Sunday when Sunday was chosen", () => {
    expect(splitInput(scheduleInputSchema.parse({ ...valid, frequency: "weekly", weekday: "0" })).when).toMatchObject({
      frequency: "weekly",
      weekday: 0,
    });
  });

  it.each([
    [{ time: "24:00" }, "time", /HH:MM/],
    [{ frequency: "weekly", weekday: "" }, "weekday", /^Choose a weekday$/],
    [{ frequency: "weekly", weekday: "  " }, "weekday", /^Choose a weekday$/],
    [{ frequency: "weekly" }, "weekday", /^Choose a weekday$/],
    [{ frequency: "weekly", weekday: "7" }, "weekday", /^Choose a weekday$/],
    [{ frequency: "monthly", dayOfMonth: "" }, "dayOfMonth", /^Choose a day of the month$/],
    [{ time: "7:5" }, "time", /HH:MM/],
    [{ frequency: "monthly", dayOfMonth: "29" }, "dayOfMonth", /1 to 28/],
    [{ frequency: "monthly", dayOfMonth: "31" }, "dayOfMonth", /1 to 28/],
    [{ timeZone: "Mars/Olympus" }, "timeZone", /Unknown time zone/],
    [{ notify: "on", notifyEmail: "" }, "notifyEmail", /at least one address/],
    [{ notify: "on", notifyEmail: "not-an-address" }, "notifyEmail", /e-?mail addresses/i],
    [{ name: "" }, "name", /name/],
    [{ name: "Bad {name}" }, "name", /letters, digits/],
  ])("should refuse %j on the field %s", (change, field, message) => {
    expect(errorsOf({ ...valid, ...change })[field]).toMatch(message);
  });

  it("should drop the recipients when notification is off", () => {
    expect(splitInput(scheduleInputSchema.parse({ ...valid, notifyEmail: "a@b.co" })).parameters.notifyEmail).toBe("");
    expect(splitInput(scheduleInputSchema.parse({ ...valid, notify: "on", notifyEmail: "a@b.co, c@d.co" })).parameters.notifyEmail).toBe(
      "a@b.co,c@d.co",
    );
  });
});

describe("schedule job names", () => {
  it.each([
    ["Shop DB nightly", "shop-db-nightly"],
    ["  Ledger (v2.1)  ", "ledger-v2-1"],
    ["---", "schedule"],
    ["A".repeat(60), "a".repeat(40)],
  ])("should slug %j as %j", (name, slug) => {
    expect(slugOf(name)).toBe(slug);
    expect(jobNameFor(slugOf(name))).toMatch(/^restore-drill-schedule-[a-z0-9-]+$/);
  });
});

describe("JJB export", () => {
  it("should write one project per schedule naming the schedule template, and an empty list for none", () => {
    const { parameters, when } = splitInput(scheduleInputSchema.parse(valid));
    const yaml = exportSchedulesYaml(
      [{ id: "c123", name: "Shop DB", jobName: "restore-drill-schedule-shop-db", enabled: false, parameters, when }],
      "http://portal/api/runs/callback",
    );
    const [entry] = load(yaml) as { project: Record<string, unknown> }[];
    expect(entry?.project).toMatchObject({
      name: "restore-drill-schedule-shop-db",
      slug: "shop-db",
      disabled: true,
      "timer-spec": "TZ=Europe/Dublin\n30 2 * * *",
      "pipeline-job": "restore-drill-pipeline",
      jobs: ["restore-drill-schedule-{slug}"],
    });
    expect(load(exportSchedulesYaml([], "http://portal/api/runs/callback"))).toEqual([]);
  });
});

describe("schedule form: shrink settings", () => {
  it("should default to 20 % and warn when the fields are absent", () => {
    expect(shrinkFields(scheduleInputSchema.parse(valid))).toEqual({ shrinkThresholdPct: 20, shrinkFailsRun: false });
  });

  it("should take 1 to 99 and warn or fail", () => {
    expect(shrinkFields(scheduleInputSchema.parse({ ...valid, shrinkThresholdPct: "1", shrinkOnDrop: "fail" }))).toEqual({
      shrinkThresholdPct: 1,
      shrinkFailsRun: true,
    });
    expect(shrinkFields(scheduleInputSchema.parse({ ...valid, shrinkThresholdPct: " 99 ", shrinkOnDrop: "warn" }))).toEqual({
      shrinkThresholdPct: 99,
      shrinkFailsRun: false,
    });
  });

  it.each([["0"], ["100"], ["12.5"], ["-5"], ["lots"], [""]])("should refuse the threshold %j with a clear message", (value) => {
    expect(errorsOf({ ...valid, shrinkThresholdPct: value })).toEqual({
      shrinkThresholdPct: "Enter a whole number of per cent, from 1 to 99",
    });
  });

  it("should refuse an unknown choice for a drop", () => {
    expect(errorsOf({ ...valid, shrinkOnDrop: "explode" })).toEqual({ shrinkOnDrop: "Choose whether a drop warns or fails the run" });
  });
});
