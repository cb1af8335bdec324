import { nextCronFire, parseCronSchedule } from "@/emulator/src/cron/crontab";
import { describeWhen, nextRuns, timerSpec } from "@/lib/schedules/cron";
import { whenSchema, type ScheduleWhen } from "@/lib/validation/schedule";

// The portal's "next run" must be what Jenkins will do with the timer spec the portal writes.
// The emulator's cron implements Jenkins' CronTab (minute-by-minute wall-clock checks in TZ=),
// so the two are compared across DST changes.

function jenkinsNext(when: ScheduleWhen, after: Date, count: number): Date[] {
  const schedule = parseCronSchedule(timerSpec(when), "restore-drill-schedule-x");
  const out: Date[] = [];
  let t = after;
  for (let i = 0; i < count; i++) {
    const next = nextCronFire(schedule, t, 60 * 24 * 62);
    if (!next) break;
    out.push(next);
    t = next;
  }
  return out;
}

// The emulator's cron checks minute by minute (as Jenkins does), so the comparison is kept to
// the days that matter: each start is a day or two before a DST change in one of the zones (2027).
const zones = ["Europe/Dublin", "America/New_York", "Australia/Sydney", "UTC"];
const times = ["01:30", "02:30", "23:59"];
const starts = [
  "2027-03-27T00:00:00Z",
  "2027-10-30T00:00:00Z",
  "2027-03-13T00:00:00Z",
  "2027-11-06T00:00:00Z",
  "2027-04-03T00:00:00Z",
  "2027-10-02T00:00:00Z",
];

describe("schedule timer specs", () => {
  it("should name an exact minute, hour and day in the chosen time zone", () => {
    expect(timerSpec({ frequency: "daily", time: "02:30", timeZone: "Europe/Dublin" })).toBe("TZ=Europe/Dublin\n30 2 * * *");
    expect(timerSpec({ frequency: "weekly", weekday: 1, time: "23:05", timeZone: "UTC" })).toBe("TZ=UTC\n5 23 * * 1");
    expect(timerSpec({ frequency: "monthly", dayOfMonth: 28, time: "00:00", timeZone: "Asia/Kolkata" })).toBe(
      "TZ=Asia/Kolkata\n0 0 28 * *",
    );
  });

  it.each(zones)("should agree with Jenkins on the next runs in %s, across DST changes", (timeZone) => {
    for (const time of times)
      for (const start of starts)
        for (const [when, count] of [
          [{ frequency: "daily" as const, time, timeZone }, 4],
          [{ frequency: "weekly" as const, weekday: 0, time, timeZone }, 2],
        ] as const) {
          const after = new Date(start);
          expect({ when, start, runs: nextRuns(when, after, count).map((d) => d.toISOString()) }).toEqual({
            when,
            start,
            runs: jenkinsNext(when, after, count).map((d) => d.toISOString()),
          });
        }
  });

  it("should agree with Jenkins for monthly schedules", () => {
    for (const timeZone of ["Europe/Dublin", "Australia/Sydney"])
      for (const dayOfMonth of [1, 28]) {
        const when = { frequency: "monthly" as const, dayOfMonth, time: "01:30", timeZone };
        const after = new Date("2027-03-20T00:00:00Z");
        const ours = nextRuns(when, after, 1).map((d) => d.toISOString());
        expect(ours).toEqual(jenkinsNext(when, after, 1).map((d) => d.toISOString()));
      }
  });

  it("should skip a time that does not exist on a spring-forward day, and run twice on a fall-back day", () => {
    const skipped = nextRuns({ frequency: "daily", time: "02:30", timeZone: "America/New_York" }, new Date("2027-03-13T12:00:00Z"), 2);
    expect(skipped.map((d) => d.toISOString())).toEqual(["2027-03-15T06:30:00.000Z", "2027-03-16T06:30:00.000Z"]);
    const twice = nextRuns({ frequency: "daily", time: "01:30", timeZone: "America/New_York" }, new Date("2027-11-06T12:00:00Z"), 2);
    expect(twice.map((d) => d.toISOString())).toEqual(["2027-11-07T05:30:00.000Z", "2027-11-07T06:30:00.000Z"]);
  });

  it("should describe a schedule in words", () => {
    expect(describeWhen({ frequency: "weekly", weekday: 1, time: "06:00", timeZone: "Europe/Dublin" })).toBe(
      "Every Monday at 06:00 (Europe/Dublin)",
    );
  });
});

describe("schedule timing validation", () => {
  const messageFor = (input: object) => {
    const r = whenSchema.safeParse(input);
    return r.success ? null : r.error.issues.map((i) => i.message).join(" | ");
  };

  it("should refuse invalid times, days 29–31 and unknown time zones with a clear message", () => {
    expect(messageFor({ frequency: "daily", time: "24:00", timeZone: "UTC" })).toMatch(/HH:MM/);
    expect(messageFor({ frequency: "daily", time: "7:5", timeZone: "UTC" })).toMatch(/HH:MM/);
    expect(messageFor({ frequency: "monthly", dayOfMonth: "29", time: "07:00", timeZone: "UTC" })).toMatch(/days 1 to 28/);
    expect(messageFor({ frequency: "monthly", dayOfMonth: "31", time: "07:00", timeZone: "UTC" })).toMatch(/days 1 to 28/);
    expect(messageFor({ frequency: "daily", time: "07:00", timeZone: "Mars/Olympus" })).toMatch(/Unknown time zone/);
    expect(messageFor({ frequency: "hourly", time: "07:00", timeZone: "UTC" })).toMatch(/daily, weekly or monthly/);
  });

  it("should accept each frequency", () => {
    expect(messageFor({ frequency: "weekly", weekday: "3", time: "07:00", timeZone: "Europe/Dublin" })).toBeNull();
    expect(messageFor({ frequency: "monthly", dayOfMonth: "28", time: "00:00", timeZone: "America/New_York" })).toBeNull();
  });
});
