import { z } from "zod";
import { isTimeZone } from "@/lib/validation/schedule";

// Date filters are calendar days as the user sees them: "2026-03-08" means that day in the
// browser's time zone, not in UTC. A range is inclusive of both days, so it becomes the UTC
// interval [start of the first day, start of the day after the last day).

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string): { y: number; m: number; d: number } | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls 2026-02-30 over to March: a real calendar day survives the round trip.
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in a zone at an instant, read back as if it were UTC (whole seconds). */
function wallClockMs(instant: number, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
}

/**
 * The UTC instant at which a calendar day starts in a time zone. The zone's offset at UTC
 * midnight can differ from its offset at local midnight (DST days), so both are tried; where
 * local midnight does not exist (a zone that springs forward at 00:00) the day starts at the
 * first instant whose wall date is that day.
 */
export function startOfDayUtc(y: number, m: number, d: number, timeZone: string): Date {
  const wallMidnight = Date.UTC(y, m - 1, d);
  const offsetAt = (instant: number) => wallClockMs(instant, timeZone) - Math.floor(instant / 1000) * 1000;
  const first = wallMidnight - offsetAt(wallMidnight);
  const second = wallMidnight - offsetAt(first);
  const onTheDay = [first, second].filter((c) => wallClockMs(c, timeZone) >= wallMidnight);
  return new Date(onTheDay.length > 0 ? Math.min(...onTheDay) : second);
}

export interface UtcRange {
  gte?: Date;
  lt?: Date;
}

/** [start of `from`, start of the day after `to`) in the zone; either side may be open. */
export function dayRangeUtc(from: string | undefined, to: string | undefined, timeZone: string): UtcRange {
  const range: UtcRange = {};
  const start = from ? parseDay(from) : null;
  const end = to ? parseDay(to) : null;
  if (start) range.gte = startOfDayUtc(start.y, start.m, start.d, timeZone);
  if (end) {
    const next = new Date(Date.UTC(end.y, end.m - 1, end.d + 1));
    range.lt = startOfDayUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
  }
  return range;
}

/** An empty form field means "no filter". */
export const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** One text value; a repeated key (?host=a&host=b) is refused rather than guessed at. */
export const oneText = () => z.string({ error: "Give this filter once." });

export const daySchema = oneText().refine((s) => parseDay(s) !== null, { message: "Enter a date as YYYY-MM-DD." });

export const timeZoneParamSchema = z.preprocess(
  (v) => (v === "" || v === undefined || v === null ? "UTC" : v),
  z
    .string({ error: "Give the time zone once." })
    .max(64, { message: "Unknown time zone." })
    .refine(isTimeZone, { message: "Unknown time zone (expected e.g. Europe/Dublin)." }),
);

/** The date-range fields every filtered list shares: from, to (inclusive) and the user's tz. */
export const dateRangeShape = {
  from: optionalParam(daySchema),
  to: optionalParam(daySchema),
  tz: timeZoneParamSchema,
};

/**
 * For schemas built on dateRangeShape: the end day may not come before the start day. It runs
 * even when other filters are bad (zod skips refinements after any issue unless told `when`), so
 * the form shows every problem at once; it waits only for the two dates themselves to be valid.
 */
export const dayOrderCheck: [
  (value: { from?: string; to?: string }) => boolean,
  { path: PropertyKey[]; message: string; when: (payload: z.core.ParsePayload) => boolean },
] = [
  // YYYY-MM-DD strings order like the days they name.
  (value) => !(value.from && value.to && value.to < value.from),
  {
    path: ["to"],
    message: "The end date is before the start date.",
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === "from" || issue.path?.[0] === "to"),
  },
];

/** Next's searchParams or a URL's, as one plain object (repeated keys become arrays). */
export function paramsObject(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string | string[] | undefined> {
  if (!(params instanceof URLSearchParams)) return params;
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** zod issues as { field: [messages] }, for messages shown next to each filter. */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
