import { scheduleChoices, statisticsForQuery, type Statistics } from "@/lib/stats/query";
import { freshDatabase, PROVIDERS, type TestDatabase } from "@/tests/support/databases";
import { runData, seedSchedule } from "../results/support";

// A hand-counted fixture around New York's spring-forward day (8 March 2026 is 23 hours long):
// local midnights are 7 Mar 05:00Z, 8 Mar 05:00Z, 9 Mar 04:00Z (EDT from here) and 10 Mar 04:00Z.
//
//  #   createdAt (UTC)            New York day  status            schedule  duration bytes rows
//  1   2026-03-07T04:59:59.999Z   6 Mar (out)   passed            nightly
//  2   2026-03-07T05:00:00.000Z   7 Mar         passed            nightly   60 s     1000  10
//  3   2026-03-07T23:30:00.000Z   7 Mar         failed            nightly   30 s
//  4   2026-03-08T04:59:59.999Z   7 Mar         could-not-verify  weekly
//  5   2026-03-08T05:00:00.000Z   8 Mar         passed            weekly    90 s     2000  20
//  6   2026-03-08T12:00:00.000Z   8 Mar         aborted           (hand)
//  7   2026-03-09T03:59:59.999Z   8 Mar         passed            nightly   120 s    1100  11
//  8   2026-03-09T04:00:00.000Z   9 Mar         failed-to-start   nightly
//  9   2026-03-09T15:00:00.000Z   9 Mar         running           (hand)
// 10   2026-03-10T04:00:00.000Z   10 Mar (out)  failed            weekly
//
// 7–9 March in New York: runs 2–9.
//   7 Mar: passed 1, failed 1, cnv 1 → 3 runs, rate 1/3
//   8 Mar: passed 2, aborted 1       → 3 runs, rate 2/2
//   9 Mar: not started 1, open 1     → 2 runs, no rate
//   total 8: passed 3, failed 1, cnv 1, aborted 1, not started 1, open 1 → rate 3/5 = 0.6
//   nightly: 2, 3, 7, 8 → 4 runs, passed 2, failed 1, not started 1 → 2/3, last run #8
//   weekly:  4, 5       → 2 runs, passed 1, cnv 1 → 1/2, last run #5
//   by hand: 6, 9       → 2 runs, aborted 1, open 1 → no rate, last run #9
// The same days in UTC hold runs 1–9, three a day.

const NY = "America/New_York";
const blank = { total: 0, passed: 0, failed: 0, couldNotVerify: 0, aborted: 0, failedToStart: 0, open: 0 };

async function stats(t: TestDatabase, params: Record<string, string>): Promise<Statistics> {
  const now = new Date("2026-03-20T12:00:00Z");
  const result = await statisticsForQuery(t.db, params, now);
  // The page hands over the schedules it read for its filter: the same answer, without reading them again.
  expect(await statisticsForQuery(t.db, params, now, await scheduleChoices(t.db))).toEqual(result);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.statistics;
}

describe.each(PROVIDERS)("statistics on %s", (provider) => {
  let t: TestDatabase;
  let nightly: string;
  let weekly: string;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    nightly = await seedSchedule(t.db, "nightly");
    weekly = await seedSchedule(t.db, "weekly");
    const runs: [string, string, string | null, number | null, number | null, number | null][] = [
      ["2026-03-07T04:59:59.999Z", "passed", nightly, 45_000, 900, 9],
      ["2026-03-07T05:00:00.000Z", "passed", nightly, 60_000, 1000, 10],
      ["2026-03-07T23:30:00.000Z", "failed", nightly, 30_000, null, null],
      ["2026-03-08T04:59:59.999Z", "could-not-verify", weekly, null, null, null],
      ["2026-03-08T05:00:00.000Z", "passed", weekly, 90_000, 2000, 20],
      ["2026-03-08T12:00:00.000Z", "aborted", null, 5_000, null, null],
      ["2026-03-09T03:59:59.999Z", "passed", nightly, 120_000, 1100, 11],
      ["2026-03-09T04:00:00.000Z", "failed-to-start", nightly, null, null, null],
      ["2026-03-09T15:00:00.000Z", "running", null, null, null, null],
      ["2026-03-10T04:00:00.000Z", "failed", weekly, 10_000, null, null],
    ];
    // Two of the failures are the backup's own: too old on the 7th, absent on the 10th.
    const reasons: Record<string, string> = { "2026-03-07T23:30:00.000Z": "BACKUP_STALE", "2026-03-10T04:00:00.000Z": "BACKUP_MISSING" };
    for (const [at, status, scheduleId, durationMs, bytes, rows] of runs) {
      await t.db.restoreRun.create({
        data: {
          ...runData({ createdAt: new Date(at), status, scheduleId }),
          reasonCode: reasons[at] ?? null,
          durationMs,
          backupBytes: bytes === null ? null : BigInt(bytes),
          totalRows: rows === null ? null : BigInt(rows),
        },
      });
    }
  });
  afterAll(() => t.drop());

  it("should count totals, days and schedules by the user's days", async () => {
    const s = await stats(t, { from: "2026-03-07", to: "2026-03-09", tz: NY });
    expect(s.unit).toBe("day");
    expect(s.totals).toEqual({
      total: 8,
      passed: 3,
      failed: 1,
      couldNotVerify: 1,
      aborted: 1,
      failedToStart: 1,
      open: 1,
      successRate: 0.6,
    });
    expect(s.periods).toEqual([
      { ...blank, first: "2026-03-07", last: "2026-03-07", total: 3, passed: 1, failed: 1, couldNotVerify: 1, successRate: 1 / 3 },
      { ...blank, first: "2026-03-08", last: "2026-03-08", total: 3, passed: 2, aborted: 1, successRate: 1 },
      { ...blank, first: "2026-03-09", last: "2026-03-09", total: 2, failedToStart: 1, open: 1, successRate: null },
    ]);
    // Worst rate first; the runs started by hand (no rate) last.
    expect(s.schedules).toEqual([
      {
        ...blank,
        id: weekly,
        name: "weekly",
        total: 2,
        passed: 1,
        couldNotVerify: 1,
        successRate: 0.5,
        lastRunAt: new Date("2026-03-08T05:00:00.000Z"),
      },
      {
        ...blank,
        id: nightly,
        name: "nightly",
        total: 4,
        passed: 2,
        failed: 1,
        failedToStart: 1,
        successRate: 2 / 3,
        lastRunAt: new Date("2026-03-09T04:00:00.000Z"),
      },
      {
        ...blank,
        id: null,
        name: "No schedule (started by hand)",
        total: 2,
        aborted: 1,
        open: 1,
        successRate: null,
        lastRunAt: new Date("2026-03-09T15:00:00.000Z"),
      },
    ]);
  });

  it("should count the runs that failed for a stale or a missing backup, in the range and the schedule asked", async () => {
    expect((await stats(t, { from: "2026-03-07", to: "2026-03-09", tz: NY })).backupProblems).toEqual({ stale: 1, missing: 0 });
    expect((await stats(t, { from: "2026-03-07", to: "2026-03-10", tz: NY })).backupProblems).toEqual({ stale: 1, missing: 1 });
    expect((await stats(t, { from: "2026-03-07", to: "2026-03-10", tz: NY, schedule: weekly })).backupProblems).toEqual({
      stale: 0,
      missing: 1,
    });
  });

  it("should draw each schedule's runs with a verdict over time, busiest schedule first", async () => {
    const s = await stats(t, { from: "2026-03-07", to: "2026-03-09", tz: NY });
    expect(s.series.schedules).toEqual([
      { id: nightly, name: "nightly" },
      { id: weekly, name: "weekly" },
    ]);
    expect(s.series.capped).toBe(false);
    expect(
      s.series.points.map((p) => [
        p.at.toISOString(),
        p.scheduleId === nightly ? "nightly" : "weekly",
        p.durationMs,
        p.backupBytes,
        p.totalRows,
      ]),
    ).toEqual([
      ["2026-03-07T05:00:00.000Z", "nightly", 60_000, 1000, 10],
      ["2026-03-07T23:30:00.000Z", "nightly", 30_000, null, null],
      ["2026-03-08T04:59:59.999Z", "weekly", null, null, null],
      ["2026-03-08T05:00:00.000Z", "weekly", 90_000, 2000, 20],
      ["2026-03-09T03:59:59.999Z", "nightly", 120_000, 1100, 11],
    ]);
  });

  it("should count UTC days differently from New York's", async () => {
    const s = await stats(t, { from: "2026-03-07", to: "2026-03-09", tz: "UTC" });
    expect(s.periods.map((p) => p.total)).toEqual([3, 3, 3]);
    expect(s.totals.passed).toBe(4);
  });

  it("should count one schedule alone", async () => {
    const s = await stats(t, { from: "2026-03-07", to: "2026-03-09", tz: NY, schedule: weekly });
    expect(s.totals).toEqual({ ...blank, total: 2, passed: 1, couldNotVerify: 1, successRate: 0.5 });
    expect(s.periods.map((p) => [p.first, p.total])).toEqual([
      ["2026-03-07", 1],
      ["2026-03-08", 1],
      ["2026-03-09", 0],
    ]);
    expect(s.schedules.map((r) => r.name)).toEqual(["weekly"]);
    expect(s.series.points.map((p) => p.durationMs)).toEqual([null, 90_000]);
  });

  it("should count long ranges per week", async () => {
    const s = await stats(t, { from: "2026-01-01", to: "2026-04-30", tz: NY });
    expect(s.unit).toBe("week");
    // Week 2–8 March holds runs 1–7; week 9–15 March runs 8–10 (10 is 10 March in New York).
    expect(s.periods.filter((p) => p.total > 0).map((p) => [p.first, p.last, p.total, p.passed, p.successRate])).toEqual([
      ["2026-03-02", "2026-03-08", 7, 4, 4 / 6],
      ["2026-03-09", "2026-03-15", 3, 0, 0],
    ]);
    expect(s.totals.total).toBe(10);
  });

  it("should show an empty range as zeros, and refuse a schedule that does not exist", async () => {
    const empty = await stats(t, { from: "2025-06-01", to: "2025-06-02", tz: NY });
    expect(empty.totals).toEqual({ ...blank, successRate: null });
    expect(empty.schedules).toEqual([]);
    expect(empty.series.points).toEqual([]);
    expect(await statisticsForQuery(t.db, { schedule: "cmnosuchschedule" })).toEqual({
      ok: false,
      errors: { schedule: ["That schedule does not exist (any more): choose one from the list."] },
    });
    expect(await statisticsForQuery(t.db, { schedule: "cmnosuchschedule" }, new Date(), await scheduleChoices(t.db))).toEqual({
      ok: false,
      errors: { schedule: ["That schedule does not exist (any more): choose one from the list."] },
    });
    expect(await statisticsForQuery(t.db, { from: "2026-03-09", to: "2026-03-01" })).toEqual({
      ok: false,
      errors: { to: ["The end date is before the start date."] },
    });
  });
});
