/** The backup-selection parameters' zod rules (lib/pipeline/selection.ts) and a schedule's defaults. */
import { runParametersSchema } from "@/lib/pipeline/schemas";
import { backupPatternSchema, backupTimeZoneSchema, maxBackupAgeSchema } from "@/lib/pipeline/selection";
import { splitInput, scheduleInputSchema } from "@/lib/schedules/schema";

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? null : r.error!.issues[0]!.message);

describe("backup pattern", () => {
  it.each(["shop-*.sql.gz.gpg", "shop-%Y-%m-%d.sql.gz", "db-[0-9]?.dump", ""])("should accept %j", (v) => {
    expect(backupPatternSchema.safeParse(v).success).toBe(true);
  });
  it.each([
    ["*;id", /only letters, digits/],
    ["$(id)", /only letters, digits/],
    ["`id`", /only letters, digits/],
    ["../*", /file name only/],
    ["a/b*", /file name only/],
    ["a\nid", /one line/],
    [".hidden*", /dot/],
    ["shop-%x", /lone %/],
    ["x".repeat(201), /at most 200/],
  ])("should refuse %j with a clear message", (v, expected) => {
    expect(message(backupPatternSchema.safeParse(v))).toMatch(expected);
  });
});

it("should accept IANA zones and refuse others", () => {
  expect(backupTimeZoneSchema.safeParse("Europe/Berlin").success).toBe(true);
  expect(backupTimeZoneSchema.safeParse("").success).toBe(true);
  expect(message(backupTimeZoneSchema.safeParse("Mars/Olympus"))).toMatch(/IANA/);
  expect(message(backupTimeZoneSchema.safeParse("../../etc/passwd"))).toMatch(/IANA/);
});

it("should take an empty maximum age as no limit and refuse nonsense", () => {
  expect(maxBackupAgeSchema.parse("")).toBeUndefined();
  expect(maxBackupAgeSchema.parse("26")).toBe(26);
  expect(message(maxBackupAgeSchema.safeParse("0"))).toMatch(/At least 1/);
  expect(message(maxBackupAgeSchema.safeParse("1.5"))).toMatch(/whole/);
});

describe("a schedule's maximum backup age", () => {
  const base = {
    name: "Shop",
    backupHost: "backups.example.com",
    backupPath: "/srv/backups",
    backupPattern: "shop-%Y-%m-%d.sql.gz",
    sshCredentialId: "ssh",
    dbType: "mysql",
    time: "02:00",
    timeZone: "Europe/Dublin",
  };
  it.each([
    [{ frequency: "daily" }, 26],
    [{ frequency: "weekly", weekday: "1" }, 192],
    [{ frequency: "monthly", dayOfMonth: "1" }, 768],
  ])("should default by frequency %j", (when, hours) => {
    const { parameters } = splitInput(scheduleInputSchema.parse({ ...base, ...when }));
    expect(parameters).toMatchObject({ maxBackupAgeHours: hours, backupTimeZone: "Europe/Dublin" });
  });
  it("should keep a limit the user set", () => {
    const { parameters } = splitInput(scheduleInputSchema.parse({ ...base, frequency: "daily", maxBackupAgeHours: "50" }));
    expect(parameters.maxBackupAgeHours).toBe(50);
    expect(runParametersSchema.parse({ ...base, dbType: "mysql" }).maxBackupAgeHours).toBeUndefined();
  });
});
