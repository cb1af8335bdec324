import { CronSyntaxError, cronMatches, nextCronFire, parseCronSchedule } from "@/emulator/src/cron/crontab";
import { JavaRandom } from "@/emulator/src/cron/java-random";

// Expected hash values below were produced by running java.util.Random and
// the MD5 seeding of hudson.scheduler.Hash.from on a real JVM.

const utc = (iso: string) => new Date(`${iso}Z`);

describe("java.util.Random port", () => {
  it("should produce the JVM's nextInt values", () => {
    expect(new JavaRandom(0n).nextInt(100)).toBe(60);
    expect(new JavaRandom(42n).nextInt(10)).toBe(0);
    expect(new JavaRandom(42n).nextInt(100)).toBe(30);
    expect(new JavaRandom(-7n).nextInt(7)).toBe(4);
    expect(new JavaRandom(123456789n).nextInt(1 << 20)).toBe(696294);
  });
});

describe("parseCronSchedule", () => {
  it("should hash H from the job's full name like Jenkins", () => {
    const daily = parseCronSchedule("TZ=UTC\nH H * * *", "foo");
    expect([...daily.tabs[0]!.fields[0]!]).toEqual([25]);
    expect([...daily.tabs[0]!.fields[1]!]).toEqual([8]);
    const quarter = parseCronSchedule("H/15 * * * *", "portal/verify");
    expect([...quarter.tabs[0]!.fields[0]!].sort((a, b) => a - b)).toEqual([4, 19, 34, 49]);
    const midnight = parseCronSchedule("@midnight", "restore-drill/app-restore");
    expect([...midnight.tabs[0]!.fields[0]!]).toEqual([1]);
    expect([...midnight.tabs[0]!.fields[1]!]).toEqual([2]);
    const weekly = parseCronSchedule("@weekly", "foo");
    expect([...weekly.tabs[0]!.fields[4]!]).toEqual([4]);
  });

  it("should share one hash sequence across lines", () => {
    const s = parseCronSchedule("H(0-29) 1 * * *\nH 2 * * *", "nightly");
    expect([...s.tabs[0]!.fields[0]!]).toEqual([1]);
    expect([...s.tabs[1]!.fields[0]!]).toEqual([17]);
  });

  it("should be stable per job and within range", () => {
    for (const name of ["a", "b", "folder/job", "restore-drill-nightly"]) {
      const first = parseCronSchedule("H H(8-10) H * H", name);
      const again = parseCronSchedule("H H(8-10) H * H", name);
      expect(again).toEqual(first);
      const [min, hour, dom, , dow] = first.tabs[0]!.fields.map((f) => [...f][0]!);
      expect(min).toBeGreaterThanOrEqual(0);
      expect(min).toBeLessThanOrEqual(59);
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThanOrEqual(10);
      expect(dom).toBeGreaterThanOrEqual(1);
      expect(dom).toBeLessThanOrEqual(28);
      expect(dow).toBeGreaterThanOrEqual(0);
      expect(dow).toBeLessThanOrEqual(6);
    }
  });

  it("should support ranges, steps, lists, Sunday as 7 and comments", () => {
    const s = parseCronSchedule("# nightly\n0,30 9-17/4 * 1-3 7", "x");
    const fields = s.tabs[0]!.fields.map((f) => [...f].sort((a, b) => a - b));
    expect(fields).toEqual([[0, 30], [9, 13, 17], Array.from({ length: 31 }, (_, i) => i + 1), [1, 2, 3], [0]]);
  });

  it.each([
    ["60 * * * *", /invalid value/],
    ["* * * *", /expected 5 fields/],
    ["5-1 * * * *", /Range start/],
    ["H/99 * * * *", /invalid value/],
    ["@often", /Unknown alias/],
    ["TZ=Mars/Olympus\n* * * * *", /Invalid or unsupported timezone/],
  ])("should reject %j", (spec, message) => {
    expect(() => parseCronSchedule(spec, "x")).toThrow(CronSyntaxError);
    expect(() => parseCronSchedule(spec, "x")).toThrow(message);
  });
});

describe("cronMatches", () => {
  it("should require both day of month and day of week to match (Jenkins, not Vixie)", () => {
    const s = parseCronSchedule("TZ=UTC\n0 12 13 * 5", "x");
    expect(cronMatches(s, utc("2026-02-13T12:00:00"))).toBe(true); // Friday the 13th
    expect(cronMatches(s, utc("2026-03-13T12:00:00"))).toBe(true);
    expect(cronMatches(s, utc("2026-02-20T12:00:00"))).toBe(false); // a Friday, not the 13th
    expect(cronMatches(s, utc("2026-01-13T12:00:00"))).toBe(false); // the 13th, a Tuesday
  });

  it("should evaluate wall-clock time in the TZ line's zone", () => {
    const s = parseCronSchedule("TZ=America/New_York\n30 9 * * *", "x");
    expect(cronMatches(s, utc("2026-01-15T14:30:00"))).toBe(true); // EST = UTC-5
    expect(cronMatches(s, utc("2026-07-15T13:30:00"))).toBe(true); // EDT = UTC-4
    expect(cronMatches(s, utc("2026-07-15T14:30:00"))).toBe(false);
  });
});

describe("nextCronFire across DST", () => {
  it("should skip a time that does not exist on the spring-forward day (America/New_York)", () => {
    const s = parseCronSchedule("TZ=America/New_York\n30 2 * * *", "x");
    // 2025-03-09 02:00 EST jumps to 03:00 EDT: 02:30 never happens that day.
    expect(nextCronFire(s, utc("2025-03-08T08:00:00"))).toEqual(utc("2025-03-10T06:30:00"));
  });

  it("should fire twice in the repeated hour on the fall-back day (America/New_York)", () => {
    const s = parseCronSchedule("TZ=America/New_York\n30 1 * * *", "x");
    const first = nextCronFire(s, utc("2025-11-02T04:00:00"));
    expect(first).toEqual(utc("2025-11-02T05:30:00")); // 01:30 EDT
    expect(nextCronFire(s, first!)).toEqual(utc("2025-11-02T06:30:00")); // 01:30 EST again
  });

  it("should handle Europe/Dublin's spring-forward and autumn transitions", () => {
    const s = parseCronSchedule("TZ=Europe/Dublin\n30 1 * * *", "x");
    // 2025-03-30 01:00 GMT → 02:00 IST: 01:30 is skipped; next is 2025-03-31 01:30 IST = 00:30 UTC.
    expect(nextCronFire(s, utc("2025-03-29T12:00:00"))).toEqual(utc("2025-03-31T00:30:00"));
    // 2025-10-26 02:00 IST → 01:00 GMT: 01:30 happens twice.
    const first = nextCronFire(s, utc("2025-10-25T12:00:00"));
    expect(first).toEqual(utc("2025-10-26T00:30:00"));
    expect(nextCronFire(s, first!)).toEqual(utc("2025-10-26T01:30:00"));
  });

  it("should find hourly and H/15 schedules", () => {
    const s = parseCronSchedule("TZ=UTC\nH/15 * * * *", "portal/verify");
    expect(nextCronFire(s, utc("2026-05-01T10:05:00"))).toEqual(utc("2026-05-01T10:19:00"));
  });
});
