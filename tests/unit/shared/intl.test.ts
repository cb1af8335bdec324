import { dateTimeFormat, formatNumber } from "@/lib/shared/intl";

describe("kept Intl formatters", () => {
  const options: Intl.DateTimeFormatOptions = {
    timeZone: "Europe/Berlin",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  const at = new Date("2026-03-29T00:30:00Z"); // the night the clocks go forward in Berlin

  it("format exactly as new ones do, and are made once per locale and options", () => {
    const kept = dateTimeFormat("en-GB", options);
    expect(kept.format(at)).toBe(new Intl.DateTimeFormat("en-GB", options).format(at));
    expect(dateTimeFormat("en-GB", { ...options })).toBe(kept);
    expect(dateTimeFormat("en-GB", { ...options, timeZone: "Asia/Tokyo" })).not.toBe(kept);
    expect(dateTimeFormat("en-CA", options)).not.toBe(kept);
  });

  it("throw for an unknown time zone as the constructor does", () => {
    expect(() => dateTimeFormat("en-US", { timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });

  it("keep a bounded number, whatever zones requests bring", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    const first = dateTimeFormat("en-US", { timeZone: zones[0] });
    for (const locale of ["en-US", "en-GB"]) for (const timeZone of zones) dateTimeFormat(locale, { timeZone });
    // Past the bound the map starts again: the first one is made anew, still formatting alike.
    const again = dateTimeFormat("en-US", { timeZone: zones[0] });
    expect(zones.length * 2).toBeGreaterThan(500);
    expect(again).not.toBe(first);
    expect(again.format(at)).toBe(first.format(at));
  });

  it("write numbers as toLocaleString('en') does", () => {
    for (const n of [0, 7, 1234, 1234567.891, -9876543, 1e21]) expect(formatNumber(n)).toBe(n.toLocaleString("en"));
  });
});
