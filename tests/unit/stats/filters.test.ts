import { parseStatisticsFilters } from "@/lib/stats/filters";
import { bucketsFor } from "@/lib/stats/periods";

// 03:00Z on 9 March 2026 is still 8 March in New York (23:00 EDT) and already 9 March in UTC.
const NOW = new Date("2026-03-09T03:00:00Z");

const refused = (params: Record<string, string | string[]>) => {
  const parsed = parseStatisticsFilters(params, NOW);
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(params)}`);
  return parsed.errors;
};

describe("statistics filters", () => {
  it("should default to the last 30 days ending today in the user's time zone", () => {
    expect(parseStatisticsFilters({ tz: "America/New_York" }, NOW)).toEqual({
      ok: true,
      filters: { from: "2026-02-07", to: "2026-03-08", tz: "America/New_York" },
    });
    expect(parseStatisticsFilters({}, NOW)).toEqual({ ok: true, filters: { from: "2026-02-08", to: "2026-03-09", tz: "UTC" } });
    expect(parseStatisticsFilters({ to: "2026-01-31", tz: "UTC" }, NOW)).toEqual({
      ok: true,
      filters: { from: "2026-01-02", to: "2026-01-31", tz: "UTC" },
    });
    // A start in the future ends on itself rather than before it.
    expect(parseStatisticsFilters({ from: "2026-05-01", tz: "UTC" }, NOW)).toEqual({
      ok: true,
      filters: { from: "2026-05-01", to: "2026-05-01", tz: "UTC" },
    });
    expect(parseStatisticsFilters({ from: "2026-03-01", to: "2026-03-05", schedule: "cm123abc", tz: "" }, NOW)).toEqual({
      ok: true,
      filters: { from: "2026-03-01", to: "2026-03-05", tz: "UTC", schedule: "cm123abc" },
    });
  });

  it("should refuse bad input with a message for the field", () => {
    expect(refused({ from: "2026-03-08", to: "2026-03-07" })).toEqual({ to: ["The end date is before the start date."] });
    expect(refused({ from: "2026-02-30" })).toEqual({ from: ["Enter a date as YYYY-MM-DD."] });
    expect(refused({ to: "03/07/2026" })).toEqual({ to: ["Enter a date as YYYY-MM-DD."] });
    expect(refused({ tz: "Mars/Olympus" }).tz).toEqual(["Unknown time zone (expected e.g. Europe/Dublin)."]);
    expect(refused({ schedule: "x'; DROP TABLE" })).toEqual({ schedule: ["Choose a schedule from the list."] });
    expect(refused({ from: ["2026-03-01", "2026-03-02"] })).toEqual({ from: ["Give this filter once."] });
    expect(refused({ from: "2025-01-01", to: "2026-03-01" })).toEqual({ from: ["Choose a range of at most 366 days (this one has 425)."] });
  });
});

describe("statistics buckets", () => {
  it("should cut days at local midnight, 23 hours long on New York's spring-forward day", () => {
    const { unit, buckets } = bucketsFor("2026-03-07", "2026-03-09", "America/New_York");
    expect(unit).toBe("day");
    expect(buckets.map((b) => [b.first, b.last, b.gte.toISOString(), b.lt.toISOString()])).toEqual([
      ["2026-03-07", "2026-03-07", "2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z"],
      ["2026-03-08", "2026-03-08", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
      ["2026-03-09", "2026-03-09", "2026-03-09T04:00:00.000Z", "2026-03-10T04:00:00.000Z"],
    ]);
  });

  it("should count long ranges per Monday-to-Sunday week, clipped to the range", () => {
    // 92 days stay daily; 93 become weekly. 1 January 2026 is a Thursday, 27 April a Monday.
    expect(bucketsFor("2026-01-01", "2026-04-02", "UTC").buckets).toHaveLength(92);
    const { unit, buckets } = bucketsFor("2026-01-01", "2026-04-30", "UTC");
    expect(unit).toBe("week");
    expect(buckets).toHaveLength(18);
    expect([buckets[0]!.first, buckets[0]!.last, buckets[1]!.first, buckets[1]!.last]).toEqual([
      "2026-01-01",
      "2026-01-04",
      "2026-01-05",
      "2026-01-11",
    ]);
    expect([buckets.at(-1)!.first, buckets.at(-1)!.last, buckets.at(-1)!.lt.toISOString()]).toEqual([
      "2026-04-27",
      "2026-04-30",
      "2026-05-01T00:00:00.000Z",
    ]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.gte).toEqual(buckets[i - 1]!.lt);
  });
});
