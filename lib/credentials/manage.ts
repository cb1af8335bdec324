import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { validateGpgCredential, validateSshCredential, type FieldErrors, type SecretValue } from "@/lib/credentials";
import type { DeleteKey } from "@/lib/credentials/schemas";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsProblem } from "./jenkins-problem";
import type { JenkinsSource } from "./list";
import { brokenReasonFor, keyUsage, schedulesUsingKey, type KeyUse } from "./usage";

// Adding and deleting keys. Jenkins holds the key; the portal's database holds a
// CredentialRef (metadata only) and the audit trail. The order keeps the two in
// step: Jenkins first (it can refuse), then one database transaction; if that
// transaction fails, the Jenkins credential just made is deleted again.

type Actor = Pick<SessionUser, "id" | "email">;
type KeyWriter = Pick<JenkinsAdapter, "createCredential" | "deleteCredential">;

const resolve = <T>(source: JenkinsSource<T>): T => (typeof source === "function" ? (source as () => T)() : source);

export const DUPLICATE_ID_MESSAGE = "A key with this id already exists in Jenkins";

interface NewRef {
  id: string;
  kind: "ssh" | "gpg";
  description: string;
  fingerprint: string;
  keyType: string;
  details: Record<string, unknown>;
}

/** The first validation message as a DomainError on its field (runAction shows it next to that field). */
function refusal(fieldErrors: FieldErrors<string>): DomainError {
  const [field, messages] = Object.entries(fieldErrors).find(([, m]) => m && m.length > 0) ?? ["form", ["This key cannot be used."]];
  return new DomainError(messages?.[0] ?? "This key cannot be used.", { field: field === "form" ? undefined : field });
}

/** Jenkins could not be asked, or refused: nothing was changed anywhere. */
function jenkinsRefusal(error: unknown, outcome: string): DomainError | null {
  const problem = jenkinsProblem(error);
  return problem === null ? null : new DomainError(`${problem} ${outcome}`, { code: "jenkins" });
}

async function storeKey(db: Db, jenkinsSource: JenkinsSource<KeyWriter>, actor: Actor, ref: NewRef, jenkinsXml: SecretValue) {
  const notStored = "The key was not stored; nothing changed.";
  let jenkins: KeyWriter;
  try {
    jenkins = resolve(jenkinsSource);
    await jenkins.createCredential(jenkinsXml);
  } catch (error) {
    if (isJenkinsError(error, "conflict")) throw new DomainError(DUPLICATE_ID_MESSAGE, { field: "id", code: "duplicate" });
    throw jenkinsRefusal(error, notStored) ?? error;
  }
  try {
    await db.$transaction(async (tx) => {
      // A row left by a key deleted in Jenkins itself: Jenkins just accepted the id, so it is stale.
      await tx.credentialRef.deleteMany({ where: { id: ref.id } });
      await tx.credentialRef.create({
        data: {
          id: ref.id,
          kind: ref.kind,
          description: ref.description,
          fingerprint: ref.fingerprint,
          keyType: ref.keyType,
          details: JSON.stringify(ref.details),
          createdById: actor.id,
          createdByEmail: actor.email,
        },
      });
      await recordAudit(tx, {
        actor,
        action: "credential.add",
        target: ref.id,
        outcome: "success",
        details: { kind: ref.kind, fingerprint: ref.fingerprint, keyType: ref.keyType },
      });
    });
  } catch (error) {
    // Compensate: a key in Jenkins that the portal does not know about would be half-added.
    try {
      await jenkins.deleteCredential(ref.id);
    } catch (cleanupError) {
      console.error(
        `credentials: the database write for '${ref.id}' failed and removing it from Jenkins failed too (${isJenkinsError(cleanupError) ? cleanupError.kind : "error"}); delete it in Jenkins`,
      );
    }
    throw error;
  }
  return ref;
}

export async function addSshKey(db: Db, jenkins: JenkinsSource<KeyWriter>, actor: Actor, input: unknown) {
  const checked = validateSshCredential(input);
  if (!checked.ok) throw refusal(checked.fieldErrors);
  // Not the public key: the database keeps the fingerprint only. (An OpenSSH private key
  // file repeats the public key inside, so its text is best kept away from the key's.)
  const { keyType, bits, fingerprint, username } = checked.metadata;
  return storeKey(
    db,
    jenkins,
    actor,
    { id: checked.id, kind: "ssh", description: checked.description, fingerprint, keyType, details: { username, bits } },
    checked.jenkinsXml,
  );
}

export async function addGpgKey(db: Db, jenkins: JenkinsSource<KeyWriter>, actor: Actor, input: unknown, options: { now?: Date } = {}) {
  const checked = await validateGpgCredential(input, options);
  if (!checked.ok) throw refusal(checked.fieldErrors);
  const m = checked.metadata;
  return storeKey(
    db,
    jenkins,
    actor,
    {
      id: checked.id,
      kind: "gpg",
      description: checked.description,
      fingerprint: m.fingerprint,
      keyType: m.algorithm,
      details: {
        keyId: m.keyId,
        userIds: m.userIds,
        createdAt: m.createdAt.toISOString(),
        expiresAt: m.expiresAt?.toISOString() ?? null,
        encryptionKeyId: m.encryptionKeyId,
        encryptionExpiresAt: m.encryptionExpiresAt?.toISOString() ?? null,
        passphraseRemoved: m.passphraseRemoved,
      },
    },
    checked.jenkinsXml,
  );
}

const listOf = (uses: KeyUse[]) => uses.map((u) => `'${u.scheduleName}'`).join(", ");

/**
 * Deletes in Jenkins, then the portal's metadata, flagging the schedules that
 * used the key as broken. A key in use needs an explicit confirmation naming
 * every schedule that uses it, so a schedule added since the warning was shown
 * is not broken silently.
 */
export async function deleteKey(db: Db, jenkinsSource: JenkinsSource<KeyWriter>, actor: Actor, input: DeleteKey) {
  const { id } = input;
  const ref = await db.credentialRef.findUnique({ where: { id } });
  const uses = await schedulesUsingKey(db, id);
  if (uses.length > 0) {
    const unconfirmed = uses.filter((u) => !input.confirmedScheduleIds.includes(u.scheduleId));
    if (!input.confirmInUse || unconfirmed.length > 0) {
      throw new DomainError(
        `'${id}' is used by ${uses.length === 1 ? "the schedule" : "the schedules"} ${listOf(uses)}. Confirm to delete it: ${uses.length === 1 ? "that schedule is" : "those schedules are"} then flagged as broken until edited.`,
        { field: "confirmInUse", code: "in-use" },
      );
    }
  }

  let removedInJenkins = true;
  try {
    await resolve(jenkinsSource).deleteCredential(id);
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) throw jenkinsRefusal(error, "The key was not deleted; nothing changed.") ?? error;
    // Already gone in Jenkins (deleted there): clean up what the portal still holds.
    if (!ref && uses.length === 0) throw new DomainError("Neither Jenkins nor the portal holds a key with this id.", { code: "not-found" });
    removedInJenkins = false;
  }

  const flagged = await db.$transaction(async (tx) => {
    await tx.credentialRef.deleteMany({ where: { id } });
    // A new key under this id starts with no directories, not the old key's.
    await tx.sshKeyPaths.deleteMany({ where: { credentialId: id } });
    // Read again inside the transaction: the key is gone, so every schedule using it now is broken.
    const current = (await keyUsage(tx)).get(id) ?? [];
    for (const use of current)
      await tx.schedule.updateMany({ where: { id: use.scheduleId }, data: { brokenReason: brokenReasonFor(use, id) } });
    await recordAudit(tx, {
      actor,
      action: "credential.delete",
      target: id,
      outcome: "success",
      details: {
        kind: ref?.kind ?? null,
        fingerprint: ref?.fingerprint ?? null,
        removedInJenkins,
        flaggedSchedules: current.map((u) => u.scheduleName),
      },
    });
    return current;
  });
  return { id, removedInJenkins, flagged };
}
