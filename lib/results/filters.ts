import { z } from "zod";
import { RUN_STATUSES } from "@/lib/runs/status";
import { DB_TYPES } from "@/lib/validation/run";
import { dayOrderCheck, dateRangeShape, fieldErrors, oneText, optionalParam, paramsObject } from "@/lib/shared/date-range";
import type { FilterParse } from "@/lib/shared/filter-params";

// One schema for the results page's filter form and /api/results/export, so a link copied from
// the page exports exactly the rows it shows, and both refuse the same bad input the same way.

export const CURSOR_PATTERN = /^(\d{1,15})_([a-z0-9]{1,40})$/;

export const resultsFiltersSchema = z
  .object({
    ...dateRangeShape,
    status: optionalParam(z.enum(RUN_STATUSES, { error: "Choose a verdict from the list." })),
    schedule: optionalParam(oneText().regex(/^[a-z0-9]{1,40}$/, "Choose a schedule from the list.")),
    dbType: optionalParam(z.enum(DB_TYPES, { error: "Choose a database type from the list." })),
    host: optionalParam(
      oneText()
        .trim()
        .max(253, "A host name is at most 253 characters.")
        .regex(/^[A-Za-z0-9._:[\]-]+$/, "Enter a host name or address, e.g. db1.example.com."),
    ),
    startedBy: optionalParam(
      oneText()
        .trim()
        .max(254, "An email address is at most 254 characters.")
        .regex(/^[^\s@]+@[^\s@]+$/, "Enter an email address, e.g. ann@example.com."),
    ),
    // Backups that were not there or too old (BACKUP_MISSING, BACKUP_STALE; issue 14).
    backup: optionalParam(z.enum(["stale", "missing"], { error: "Choose stale or missing backups from the list." })),
    // The keyset cursor of the page to show: "<createdAt ms>_<id>" of the last row before it.
    after: optionalParam(oneText().regex(CURSOR_PATTERN, "That page link is not valid: start again from the newest runs.")),
  })
  .refine(...dayOrderCheck);

export type ResultsFilters = z.output<typeof resultsFiltersSchema>;

export function parseResultsFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): FilterParse<ResultsFilters> {
  const parsed = resultsFiltersSchema.safeParse(paramsObject(params));
  return parsed.success ? { ok: true, filters: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}
