import type { Db } from "@/lib/db/client";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditCursor {
  at: Date;
  id: string;
}

export const encodeCursor = (c: AuditCursor) => `${c.at.getTime()}_${c.id}`;

export function decodeCursor(raw: string | undefined): AuditCursor | null {
  const m = raw ? /^(\d{1,15})_([a-z0-9]{1,40})$/.exec(raw) : null;
  return m ? { at: new Date(Number(m[1])), id: m[2]! } : null;
}

/** Newest first, keyset-paged on (at, id) so that deep pages stay as fast as the first. */
export async function auditPage(db: Db, cursor: AuditCursor | null, size = AUDIT_PAGE_SIZE) {
  const rows = await db.auditEvent.findMany({
    where: cursor ? { OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] } : undefined,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return { events: page, next: rows.length > size && last ? encodeCursor(last) : null };
}
