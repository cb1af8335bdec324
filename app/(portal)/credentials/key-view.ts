import type { KeyRow } from "@/lib/credentials/list";

/** A KeyRow as plain strings, for the client table (dates cannot cross to the browser as Date). */
export interface KeyView {
  id: string;
  kind: "ssh" | "gpg";
  description: string;
  fingerprint: string | null;
  keyType: string | null;
  detail: string[];
  added: string | null;
  inJenkins: boolean | null;
  usedBy: { scheduleId: string; scheduleName: string }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function toKeyView(row: KeyRow, now: Date = new Date()): KeyView {
  const detail: string[] = [];
  if (row.ssh) detail.push(`user ${row.ssh.username}`, `${row.ssh.bits} bits`);
  if (row.gpg) {
    detail.push(...row.gpg.userIds);
    const expiry = row.gpg.encryptionExpiresAt ?? row.gpg.expiresAt;
    detail.push(expiry ? `${expiry <= now ? "expired" : "expires"} ${day(expiry)}` : "never expires");
    if (row.gpg.passphraseRemoved) detail.push("stored without its passphrase");
  }
  return {
    id: row.id,
    kind: row.kind,
    description: row.description,
    fingerprint: row.fingerprint,
    keyType: row.keyType,
    detail,
    added: row.added ? `${minute(row.added.at)} by ${row.added.byEmail}` : null,
    inJenkins: row.inJenkins,
    usedBy: row.usedBy.map(({ scheduleId, scheduleName }) => ({ scheduleId, scheduleName })),
  };
}
