import { z } from "zod";
import { parameterRow } from "./parameters";

// The backup-selection parameters (issue 14 items 1 and 2) as zod, with the rules of
// scripts/lib/select.sh (rd_require_selection), so Jenkins never sees a value it would refuse.
// The pattern reaches the backup host only as find's -name value, read from stdin: these rules
// are a second wall, and they say clearly what a pattern may hold.

const patternMax = parameterRow("backupPattern").control.maxLength;
const PATTERN_CHARS = /^[\][A-Za-z0-9._*?%-]+$/;

/** Why a file-name pattern is refused, or null when it is fine (empty: no pattern). */
export function backupPatternProblem(v: string): string | null {
  if (v === "") return null;
  if (v.includes("/") || v.includes("..")) return "A pattern is a file name only: put the directory in the path above (no / and no ..)";
  if (/[\r\n]/.test(v)) return "A pattern is one line";
  if (!PATTERN_CHARS.test(v))
    return "Patterns may hold only letters, digits, . _ - * ? [ ] and %Y %m %d %H %M (no spaces, quotes, $, ; or `)";
  if (v.startsWith(".")) return "Patterns may not start with a dot (hidden files are never backups here)";
  if (v.replace(/%[YmdHM]/g, "").includes("%")) return "Date templates know %Y %m %d %H %M only; a lone % is not allowed";
  return null;
}

export const backupPatternSchema = z
  .string()
  .trim()
  .max(patternMax, { message: `Patterns are at most ${patternMax} characters`, abort: true })
  .superRefine((v, ctx) => {
    const problem = backupPatternProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .default("");

/** The agent checks the name against /usr/share/zoneinfo, so only Area/Location-shaped names. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return ZONE_NAME.test(tz);
  } catch {
    return false;
  }
}

export const backupTimeZoneSchema = z
  .string()
  .trim()
  .max(parameterRow("backupTimeZone").control.maxLength, { message: "That time zone name is too long", abort: true })
  .refine((v) => v === "" || isTimeZone(v), "Enter an IANA time zone such as Europe/Berlin or UTC, or leave it empty")
  .default("");

const age = parameterRow("maxBackupAgeHours").control;
const blankAsMissing = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
export const maxBackupAgeSchema = z.preprocess(
  blankAsMissing,
  z.coerce
    .number({ message: "Enter a number of hours" })
    .int("Enter whole hours")
    .min(age.min, `At least ${age.min} hour`)
    .max(age.max, `At most ${age.max} hours (a year)`)
    .optional(),
);

/** A schedule's default maximum backup age by frequency (issue 14 item 2): a day and a bit, 8 days, 32 days. */
export const DEFAULT_MAX_BACKUP_AGE_HOURS = { daily: 26, weekly: 8 * 24, monthly: 32 * 24 } as const;
