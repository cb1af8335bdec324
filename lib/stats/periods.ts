import { startOfDayUtc } from "@/lib/shared/date-range";

// Calendar arithmetic on YYYY-MM-DD days (days as the user names them, no time zone), and the
// buckets the statistics are counted in: one per day, or one per week for long ranges.

/** Ranges longer than this many days are counted per week, so a chart never has more than ~53 bars. */
export const MAX_DAILY_BUCKETS = 92;

const DAY_MS = 86_400_000;

function toUtcNoon(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, 12);
}

const asDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (day: string, n: number) => asDay(toUtcNoon(day) + n * DAY_MS);

/** Whole days from `a` to `b` (0 when equal). */
export const daysBetween = (a: string, b: string) => Math.round((toUtcNoon(b) - toUtcNoon(a)) / DAY_MS);

/** 0 = Monday … 6 = Sunday. */
const weekdayIndex = (day: string) => (new Date(toUtcNoon(day)).getUTCDay() + 6) % 7;

const todayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date in a time zone (en-CA formats as YYYY-MM-DD). */
export function todayIn(timeZone: string, now = new Date()): string {
  let fmt = todayFormatters.get(timeZone);
  if (!fmt)
    todayFormatters.set(
      timeZone,
      (fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })),
    );
  return fmt.format(now);
}

export interface Bucket {
  /** First day of the bucket, YYYY-MM-DD, included. */
  first: string;
  /** Last day of the bucket, included. */
  last: string;
  /** The bucket as UTC instants: [gte, lt). */
  gte: Date;
  lt: Date;
}

export type BucketUnit = "day" | "week";

const startOf = (day: string, timeZone: string) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return startOfDayUtc(y, m, d, timeZone);
};

/**
 * The range cut into days, or (when longer than MAX_DAILY_BUCKETS days) into Monday-to-Sunday
 * weeks with the first and last clipped to the range. Each bucket starts at local midnight of
 * its first day, so a day is 23 or 25 hours long across a DST change.
 */
export function bucketsFor(from: string, to: string, timeZone: string): { unit: BucketUnit; buckets: Bucket[] } {
  const days = daysBetween(from, to) + 1;
  const unit: BucketUnit = days > MAX_DAILY_BUCKETS ? "week" : "day";
  const buckets: Bucket[] = [];
  let first = from;
  while (first <= to) {
    const length = unit === "day" ? 1 : 7 - weekdayIndex(first);
    const next = addDays(first, length);
    const last = addDays(next, -1) < to ? addDays(next, -1) : to;
    buckets.push({ first, last, gte: startOf(first, timeZone), lt: startOf(addDays(last, 1), timeZone) });
    first = next;
  }
  return { unit, buckets };
}
