import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { csvResponse, csvStream, type CsvValue } from "@/lib/shared/csv";
import { dayOrderCheck, dateRangeShape, dayRangeUtc, fieldErrors, oneText, optionalParam, paramsObject } from "@/lib/shared/date-range";
import type { FilterParse } from "@/lib/shared/filter-params";
import { recordAudit, type AuditActor } from "./record";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_BATCH_SIZE = 1000;
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;

export interface AuditCursor {
  at: Date;
  id: string;
}

const CURSOR = /^(\d{1,15})_([a-z0-9]{1,40})$/;

export const encodeCursor = (c: AuditCursor) => `${c.at.getTime()}_${c.id}`;

export function decodeCursor(raw: string | undefined): AuditCursor | null {
  const m = raw ? CURSOR.exec(raw) : null;
  return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
}

/** The audit page's filters and /api/audit/export's: one schema for both. */
export const auditFiltersSchema = z
  .object({
    ...dateRangeShape,
    action: optionalParam(oneText().regex(/^[a-z][a-z0-9.-]{0,63}$/, "Choose an action from the list.")),
    outcome: optionalParam(z.enum(AUDIT_OUTCOMES, { error: "Choose an outcome from the list." })),
    // The API token calls were made with (lib/api/tokens.ts), by its id.
    token: optionalParam(oneText().regex(/^[a-z0-9]{10,40}$/, "Choose a token from the list.")),
    before: optionalParam(oneText().regex(CURSOR, "That page link is not valid: start again from the newest events.")),
  })
  .refine(...dayOrderCheck);

export type AuditFilters = z.output<typeof auditFiltersSchema>;

export function parseAuditFilters(params: URLSearchParams | Record<string, string | string[] | undefined>): FilterParse<AuditFilters> {
  const parsed = auditFiltersSchema.safeParse(paramsObject(params));
  return parsed.success ? { ok: true, filters: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

type AuditWhere = NonNullable<NonNullable<Parameters<Db["auditEvent"]["findMany"]>[0]>["where"]>;

export function auditWhere(filters: Partial<AuditFilters>): AuditWhere {
  const at = dayRangeUtc(filters.from, filters.to, filters.tz ?? "UTC");
  const where: AuditWhere = {};
  if (at.gte || at.lt) where.at = at;
  if (filters.action) where.action = filters.action;
  if (filters.outcome) where.outcome = filters.outcome;
  if (filters.token) where.apiTokenId = filters.token;
  return where;
}

/** Newest first, keyset-paged on (at, id) so that deep pages stay as fast as the first. */
export async function auditPage(db: Db, cursor: AuditCursor | null, size = AUDIT_PAGE_SIZE, filters: Partial<AuditFilters> = {}) {
  const filtered = auditWhere(filters);
  const rows = await db.auditEvent.findMany({
    // The redundant `at <= cursor` gives the database an index range to seek to; the OR alone can make it scan.
    where: cursor
      ? { AND: [filtered, { at: { lte: cursor.at } }, { OR: [{ at: { lt: cursor.at } }, { id: { lt: cursor.id } }] }] }
      : filtered,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return { events: page, next: rows.length > size && last ? encodeCursor(last) : null };
}

/** The actions that occur in the trail, for the filter's list. */
/**
 * The distinct actions in the trail, for the filter. A GROUP BY would read every event (200,000
 * take ~60 ms on PostgreSQL); stepping from one action to the next on the (action, at) index
 * costs one seek per distinct action, of which there are a few dozen.
 */
export async function auditActions(db: Db): Promise<string[]> {
  const actions: string[] = [];
  for (let last: string | undefined; ;) {
    const next = await db.auditEvent.findFirst({
      where: last === undefined ? {} : { action: { gt: last } },
      orderBy: { action: "asc" },
      select: { action: true },
    });
    if (!next) return actions;
    actions.push(next.action);
    last = next.action;
  }
}

export const AUDIT_CSV_HEADER = ["at_utc", "actor", "action", "target", "outcome", "details", "address"] as const;

async function* auditCsvBatches(db: Db, filters: AuditFilters): AsyncGenerator<CsvValue[][]> {
  let cursor: AuditCursor | null = null;
  for (;;) {
    const { events, next }: Awaited<ReturnType<typeof auditPage>> = await auditPage(db, cursor, AUDIT_EXPORT_BATCH_SIZE, filters);
    if (events.length > 0) yield events.map((e) => [e.at, e.actorEmail, e.action, e.target, e.outcome, e.details, e.address]);
    const last = events.at(-1);
    if (!next || !last) return;
    cursor = { at: last.at, id: last.id };
  }
}

/** The filtered trail as a streamed CSV download; the export is itself recorded first. */
export async function exportAuditCsv(db: Db, filters: AuditFilters, who: { actor: AuditActor; address: string | null }): Promise<Response> {
  const { before: _page, ...recorded } = filters;
  await recordAudit(db, {
    actor: who.actor,
    action: "audit.export",
    outcome: "success",
    details: { filters: recorded },
    address: who.address,
  });
  return csvResponse(csvStream(AUDIT_CSV_HEADER, auditCsvBatches(db, filters)), "restore-drill-audit.csv");
}
