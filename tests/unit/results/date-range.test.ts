import { dayRangeUtc, startOfDayUtc } from "@/lib/shared/date-range";

const iso = (d: Date | undefined) => d?.toISOString();

describe("startOfDayUtc", () => {
  it("should be UTC midnight in UTC", () => {
    expect(iso(startOfDayUtc(2026, 3, 8, "UTC"))).toBe("2026-03-08T00:00:00.000Z");
  });

  it("should follow New York's offset on either side of the spring-forward day", () => {
    expect(iso(startOfDayUtc(2026, 3, 7, "America/New_York"))).toBe("2026-03-07T05:00:00.000Z");
    // 8 March 2026 starts in EST (clocks jump at 02:00); the next day starts in EDT.
    expect(iso(startOfDayUtc(2026, 3, 8, "America/New_York"))).toBe("2026-03-08T05:00:00.000Z");
    expect(iso(startOfDayUtc(2026, 3, 9, "America/New_York"))).toBe("2026-03-09T04:00:00.000Z");
  });

  it("should follow New York's offset on the fall-back day", () => {
    expect(iso(startOfDayUtc(2026, 11, 1, "America/New_York"))).toBe("2026-11-01T04:00:00.000Z");
    expect(iso(startOfDayUtc(2026, 11, 2, "America/New_York"))).toBe("2026-11-02T05:00:00.000Z");
  });

  it("should handle zones east of Greenwich and half-hour offsets", () => {
    expect(iso(startOfDayUtc(2026, 1, 1, "Asia/Tokyo"))).toBe("2025-12-31T15:00:00.000Z");
    expect(iso(startOfDayUtc(2026, 1, 1, "Asia/Kolkata"))).toBe("2025-12-31T18:30:00.000Z");
    expect(iso(startOfDayUtc(2026, 3, 29, "Europe/Berlin"))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(startOfDayUtc(2026, 3, 30, "Europe/Berlin"))).toBe("2026-03-29T22:00:00.000Z");
  });

  it("should start a day whose midnight does not exist at its first real instant", () => {
    // Havana springs forward at 00:00 → 01:00 on 8 March 2026: the day begins at 01:00 CDT.
    expect(iso(startOfDayUtc(2026, 3, 8, "America/Havana"))).toBe("2026-03-08T05:00:00.000Z");
  });
});

describe("dayRangeUtc", () => {
  it("should include both days: [start of from, start of the day after to)", () => {
    expect(dayRangeUtc("2026-03-08", "2026-03-08", "America/New_York")).toEqual({
      gte: new Date("2026-03-08T05:00:00Z"),
      lt: new Date("2026-03-09T04:00:00Z"),
    });
    expect(dayRangeUtc("2026-11-01", "2026-11-01", "America/New_York")).toEqual({
      gte: new Date("2026-11-01T04:00:00Z"),
      lt: new Date("2026-11-02T05:00:00Z"),
    });
  });

  it("should cross month and year ends", () => {
    expect(dayRangeUtc("2026-12-31", "2026-12-31", "UTC")).toEqual({
      gte: new Date("2026-12-31T00:00:00Z"),
      lt: new Date("2027-01-01T00:00:00Z"),
    });
    expect(dayRangeUtc(undefined, "2028-02-28", "UTC")).toEqual({ lt: new Date("2028-02-29T00:00:00Z") });
  });

  it("should leave open sides open", () => {
    expect(dayRangeUtc(undefined, undefined, "UTC")).toEqual({});
    expect(dayRangeUtc("2026-05-01", undefined, "UTC")).toEqual({ gte: new Date("2026-05-01T00:00:00Z") });
  });
});
