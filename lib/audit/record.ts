import type { Db } from "@/lib/db/client";

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditActor {
  id?: string | null;
  email?: string | null;
}

export interface AuditEntry {
  actor: AuditActor | null;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  /** Free-form context; never secrets (it is shown to managers and exported). */
  details?: Record<string, unknown>;
  address?: string | null;
  /** The personal API token the call was made with (lib/api/tokens.ts), if any. */
  apiTokenId?: string | null;
}

type AuditWriter = Pick<Db, "auditEvent">;

/** Writes one audit event; pass a transaction client to make it part of the change it records. */
export async function recordAudit(dbOrTx: AuditWriter, entry: AuditEntry): Promise<void> {
  await dbOrTx.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      details: entry.details ? JSON.stringify(entry.details) : null,
      address: entry.address ?? null,
      apiTokenId: entry.apiTokenId ?? null,
    },
  });
}
