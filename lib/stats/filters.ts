import { z } from "zod";
import { dayOrderCheck, dateRangeShape, fieldErrors, oneText, optionalParam, paramsObject } from "@/lib/shared/date-range";
import type { FilterParse } from "@/lib/shared/filter-params";
import { addDays, daysBetween, todayIn } from "./periods";

// The statistics page's filters: the results page's date range (days in the user's time zone,
// both ends included) and one optional schedule. The range is always bounded, so the per-day
// buckets are too: no dates means the last 30 days, and at most MAX_RANGE_DAYS are summed.

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

export const statisticsFiltersSchema = z
  .object({
    ...dateRangeShape,
    schedule: optionalParam(oneText().regex(/^[a-z0-9]{1,40}$/, "Choose a schedule from the list.")),
  })
  .refine(...dayOrderCheck);

export interface StatisticsFilters {
  /** First day, YYYY-MM-DD in `tz`, included. */
  from: string;
  /** Last day, YYYY-MM-DD in `tz`, included. */
  to: string;
  tz: string;
  schedule?: string;
}

/**
 * The query as filters with the defaults filled in: `to` defaults to today (or `from`, if that is
 * later) and `from` to 29 days before `to`. Refuses bad dates, a reversed or too long range, an
 * unknown time zone and a malformed schedule id, each with a message for its field.
 */
export function parseStatisticsFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  now = new Date(),
): FilterParse<StatisticsFilters> {
  const parsed = statisticsFiltersSchema.safeParse(paramsObject(params));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { tz, schedule } = parsed.data;
  const today = todayIn(tz, now);
  const to = parsed.data.to ?? (parsed.data.from && parsed.data.from > today ? parsed.data.from : today);
  const from = parsed.data.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    return {
      ok: false,
      errors: { from: [`Choose a range of at most ${MAX_RANGE_DAYS} days (this one has ${daysBetween(from, to) + 1}).`] },
    };
  }
  return { ok: true, filters: schedule ? { from, to, tz, schedule } : { from, to, tz } };
}
