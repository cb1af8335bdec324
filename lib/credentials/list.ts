import { z } from "zod";
import type { JenkinsCredentialSummary } from "@/lib/credentials/jenkins-xml";
import type { Db } from "@/lib/db/client";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsProblem } from "./jenkins-problem";
import { keyUsage, type KeyUse } from "./usage";

// The Credentials page's list: Jenkins says which keys exist (keys made in
// Jenkins itself included), the portal's CredentialRef rows add what it learnt
// when a manager added the key. Only metadata, never key material: Jenkins'
// list and config.xml are redacted, and the database never held a key.

export type KeyKind = "ssh" | "gpg";

export interface KeyRow {
  id: string;
  kind: KeyKind;
  description: string;
  /** SHA256:… for SSH, the 40-hex primary fingerprint for GPG; null for keys added in Jenkins. */
  fingerprint: string | null;
  /** ed25519, rsa, ecdsa / gpg's algorithm name; null for keys added in Jenkins. */
  keyType: string | null;
  ssh: { username: string; bits: number } | null;
  gpg: { userIds: string[]; expiresAt: Date | null; encryptionExpiresAt: Date | null; passphraseRemoved: boolean } | null;
  /** null when the key was added in Jenkins, not through the portal. */
  added: { at: Date; byEmail: string } | null;
  /** true/false as Jenkins says; null when Jenkins could not be asked. */
  inJenkins: boolean | null;
  usedBy: KeyUse[];
}

export interface KeyList {
  keys: KeyRow[];
  /** Why Jenkins could not be asked; the list then holds what the portal's database knows. */
  jenkinsProblem: string | null;
}

const detailsSchema = z.object({
  username: z.string().optional(),
  bits: z.number().optional(),
  userIds: z.array(z.string()).optional(),
  expiresAt: z.string().nullable().optional(),
  encryptionExpiresAt: z.string().nullable().optional(),
  passphraseRemoved: z.boolean().optional(),
});

type Ref = Awaited<ReturnType<Db["credentialRef"]["findMany"]>>[number];

function parseDetails(details: string | null): z.output<typeof detailsSchema> {
  if (!details) return {};
  try {
    const parsed = detailsSchema.safeParse(JSON.parse(details));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

const dateOrNull = (value: string | null | undefined) => (value ? new Date(value) : null);

function rowFrom(
  id: string,
  ref: Ref | undefined,
  held: JenkinsCredentialSummary | undefined,
  inJenkins: boolean | null,
  usedBy: KeyUse[],
): KeyRow | null {
  const kind =
    held && (held.kind === "ssh" || held.kind === "gpg") ? held.kind : ref && (ref.kind === "ssh" || ref.kind === "gpg") ? ref.kind : null;
  if (!kind) return null;
  const details = parseDetails(ref?.details ?? null);
  return {
    id,
    kind,
    description: held?.description ?? ref?.description ?? "",
    fingerprint: ref?.fingerprint ?? null,
    keyType: ref?.keyType ?? null,
    ssh: kind === "ssh" && ref ? { username: details.username ?? "", bits: details.bits ?? 0 } : null,
    gpg:
      kind === "gpg" && ref
        ? {
            userIds: details.userIds ?? [],
            expiresAt: dateOrNull(details.expiresAt),
            encryptionExpiresAt: dateOrNull(details.encryptionExpiresAt),
            passphraseRemoved: details.passphraseRemoved ?? false,
          }
        : null,
    added: ref ? { at: ref.createdAt, byEmail: ref.createdByEmail } : null,
    inJenkins,
    usedBy,
  };
}

type CredentialLister = Pick<JenkinsAdapter, "listCredentials">;
type CredentialReader = Pick<JenkinsAdapter, "getCredential">;

/** Jenkins adapters are built lazily by callers, so building one may throw too (no JENKINS_URL). */
export type JenkinsSource<T> = T | (() => T);
const resolve = <T>(source: JenkinsSource<T>): T => (typeof source === "function" ? (source as () => T)() : source);

export async function listKeys(db: Db, jenkinsSource: JenkinsSource<CredentialLister>): Promise<KeyList> {
  const [refs, usage] = await Promise.all([db.credentialRef.findMany({ orderBy: { id: "asc" } }), keyUsage(db)]);
  let held: JenkinsCredentialSummary[] | null = null;
  let problem: string | null = null;
  try {
    held = (await resolve(jenkinsSource).listCredentials()).filter((c) => c.kind === "ssh" || c.kind === "gpg");
  } catch (error) {
    problem = jenkinsProblem(error);
    if (problem === null) throw error;
    console.warn(`credentials list: Jenkins unavailable (${isJenkinsError(error) ? error.kind : "config"})`);
  }
  const refById = new Map(refs.map((r) => [r.id, r]));
  const heldById = new Map((held ?? []).map((c) => [c.id, c]));
  const ids = [...new Set([...heldById.keys(), ...refById.keys()])].sort((a, b) => a.localeCompare(b));
  const keys = ids
    .map((id) => rowFrom(id, refById.get(id), heldById.get(id), held === null ? null : heldById.has(id), usage.get(id) ?? []))
    .filter((row): row is KeyRow => row !== null);
  return { keys, jenkinsProblem: problem };
}

/**
 * Re-reads one key: Jenkins' config.xml (redacted by Jenkins) plus the portal's
 * metadata. null when neither knows the id. Metadata only, by construction.
 */
export async function readKey(
  db: Db,
  jenkinsSource: JenkinsSource<CredentialReader>,
  id: string,
): Promise<{ key: KeyRow | null; jenkinsProblem: string | null }> {
  const [ref, usage] = await Promise.all([db.credentialRef.findUnique({ where: { id } }), keyUsage(db)]);
  let held: JenkinsCredentialSummary | undefined;
  let inJenkins: boolean | null = null;
  let problem: string | null = null;
  try {
    held = await resolve(jenkinsSource).getCredential(id);
    inJenkins = true;
  } catch (error) {
    if (isJenkinsError(error, "not-found")) inJenkins = false;
    else {
      problem = jenkinsProblem(error);
      if (problem === null) throw error;
    }
  }
  if (!ref && !held) return { key: null, jenkinsProblem: problem };
  return { key: rowFrom(id, ref ?? undefined, held, inJenkins, usage.get(id) ?? []), jenkinsProblem: problem };
}
