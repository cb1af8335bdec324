import { parseAuditFilters } from "@/lib/audit/query";
import { parseResultsFilters } from "@/lib/results/filters";
import { filtersQuery } from "@/lib/shared/filter-params";

describe("results filters", () => {
  it("should treat no parameters and empty fields as no filter, in UTC", () => {
    expect(parseResultsFilters({})).toEqual({ ok: true, filters: { tz: "UTC" } });
    expect(parseResultsFilters(new URLSearchParams("from=&to=&status=&schedule=&dbType=&host=&startedBy=&tz="))).toEqual({
      ok: true,
      filters: { tz: "UTC" },
    });
  });

  it("should accept every filter with a valid value", () => {
    const parsed = parseResultsFilters(
      new URLSearchParams({
        from: "2026-03-01",
        to: "2026-03-08",
        tz: "America/New_York",
        status: "could-not-verify",
        schedule: "cm1abc",
        dbType: "postgresql",
        host: " db1.example.com ",
        startedBy: "ann@example.com",
        after: "1772000000000_cm1xyz",
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      filters: {
        from: "2026-03-01",
        to: "2026-03-08",
        tz: "America/New_York",
        status: "could-not-verify",
        schedule: "cm1abc",
        dbType: "postgresql",
        host: "db1.example.com",
        startedBy: "ann@example.com",
        after: "1772000000000_cm1xyz",
      },
    });
  });

  it("should accept a one-day range (start day = end day)", () => {
    expect(parseResultsFilters({ from: "2026-03-08", to: "2026-03-08" }).ok).toBe(true);
  });

  it.each([
    [{ from: "2026-03-09", to: "2026-03-08" }, "to", "The end date is before the start date."],
    [{ from: "2026-02-30" }, "from", "Enter a date as YYYY-MM-DD."],
    [{ to: "08/03/2026" }, "to", "Enter a date as YYYY-MM-DD."],
    [{ from: "2026-3-8" }, "from", "Enter a date as YYYY-MM-DD."],
    [{ tz: "Mars/Olympus_Mons" }, "tz", "Unknown time zone (expected e.g. Europe/Dublin)."],
    [{ status: "green" }, "status", "Choose a verdict from the list."],
    [{ dbType: "oracle" }, "dbType", "Choose a database type from the list."],
    [{ schedule: "../../etc" }, "schedule", "Choose a schedule from the list."],
    [{ host: "db1; rm -rf /" }, "host", "Enter a host name or address, e.g. db1.example.com."],
    [{ startedBy: "not an email" }, "startedBy", "Enter an email address, e.g. ann@example.com."],
    [{ after: "yesterday" }, "after", "That page link is not valid: start again from the newest runs."],
    [{ host: ["a.example.com", "b.example.com"] }, "host", "Give this filter once."],
  ] as const)("should refuse %j with a message on %s", (input, field, message) => {
    const parsed = parseResultsFilters(input as Record<string, string | string[]>);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[field]).toEqual([message]);
  });

  it("should give each bad filter its own message", () => {
    const parsed = parseResultsFilters({ from: "nope", status: "green", dbType: "oracle" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors).sort()).toEqual(["dbType", "from", "status"]);
  });

  it("should turn filters back into a query without the page cursor", () => {
    expect(filtersQuery({ tz: "UTC", status: "passed", host: undefined, after: "1_a" }).toString()).toBe("tz=UTC&status=passed");
  });
});

describe("audit filters", () => {
  it("should share the date rules and check action and outcome", () => {
    expect(parseAuditFilters({ from: "2026-01-01", to: "2026-01-31", action: "results.export", outcome: "denied" })).toEqual({
      ok: true,
      filters: { from: "2026-01-01", to: "2026-01-31", tz: "UTC", action: "results.export", outcome: "denied" },
    });
    const bad = parseAuditFilters({ from: "2026-02-01", to: "2026-01-31", action: "DROP TABLE", outcome: "maybe", before: "x" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.to).toEqual(["The end date is before the start date."]);
      expect(bad.errors.action).toEqual(["Choose an action from the list."]);
      expect(bad.errors.outcome).toEqual(["Choose an outcome from the list."]);
      expect(bad.errors.before).toEqual(["That page link is not valid: start again from the newest events."]);
    }
  });
});
