import { inspectGpgPrivateKey, normalizeArmoredKey, unlockedArmoredKey } from "./gpg-key";
import { buildGpgCredentialXml, buildSshCredentialXml } from "./jenkins-xml";
import {
  addGpgKeySchema,
  addSshKeySchema,
  fieldErrorsFromZod,
  type FieldErrors,
  type GpgCredentialField,
  type SshCredentialField,
} from "./schemas";
import { SecretValue } from "./secret";
import { inspectSshPrivateKey, normalizeSshPrivateKey, type SshKeyType } from "./ssh-key";

// Server-only entry point: validates a manager's submission, and on success
// hands back the metadata the portal may keep plus the Jenkins XML body (wrapped
// so it cannot be logged or serialised by accident). The key itself is never
// part of anything returned in the clear.

export interface SshCredentialMetadata {
  kind: "ssh";
  keyType: SshKeyType;
  bits: number;
  fingerprint: string;
  username: string;
  /** authorized_keys line (no comment) to install on the backup server. */
  publicKey: string;
}

export interface GpgCredentialMetadata {
  kind: "gpg";
  fingerprint: string;
  keyId: string;
  userIds: string[];
  algorithm: string;
  createdAt: Date;
  expiresAt: Date | null;
  encryptionKeyId: string;
  encryptionExpiresAt: Date | null;
  /** The key came with a passphrase, which was removed before upload (and not kept). */
  passphraseRemoved: boolean;
}

export type CredentialValidation<Metadata, Field extends string> =
  | { ok: true; id: string; description: string; metadata: Metadata; jenkinsXml: SecretValue }
  | { ok: false; fieldErrors: FieldErrors<Field | "form"> };

export type SshCredentialValidation = CredentialValidation<SshCredentialMetadata, SshCredentialField>;
export type GpgCredentialValidation = CredentialValidation<GpgCredentialMetadata, GpgCredentialField>;

export function validateSshCredential(input: unknown): SshCredentialValidation {
  const parsed = addSshKeySchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod<SshCredentialField>(parsed.error) };
  const { id, description, username, privateKey, passphrase } = parsed.data;

  const inspection = inspectSshPrivateKey(privateKey, passphrase);
  if (!inspection.ok) return { ok: false, fieldErrors: { [inspection.field]: [inspection.message] } };
  const { keyType, bits, fingerprint, publicKey } = inspection.key;

  const jenkinsXml = buildSshCredentialXml({
    id,
    description,
    username,
    privateKey: normalizeSshPrivateKey(privateKey),
    // Jenkins would pass a passphrase for an unencrypted key to the SSH client
    // for nothing; inspection has already refused that combination.
    passphrase: inspection.key.encrypted ? passphrase : undefined,
  });
  return {
    ok: true,
    id,
    description,
    metadata: { kind: "ssh", keyType, bits, fingerprint, username, publicKey },
    jenkinsXml: new SecretValue(jenkinsXml),
  };
}

/**
 * The decrypt stage imports the key file without a passphrase, so a protected
 * key is checked with its passphrase and then stored with the protection
 * removed: Jenkins keeps it in its encrypted credentials store, and the
 * passphrase goes nowhere.
 */
export async function validateGpgCredential(input: unknown, options: { now?: Date } = {}): Promise<GpgCredentialValidation> {
  const parsed = addGpgKeySchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod<GpgCredentialField>(parsed.error) };
  const { id, description, armoredKey, passphrase } = parsed.data;

  const inspection = await inspectGpgPrivateKey(armoredKey, passphrase, options);
  if (!inspection.ok) return { ok: false, fieldErrors: { [inspection.field]: [inspection.message] } };
  const key = inspection.key;

  // inspection refuses a protected key without its passphrase, so both are set here or neither.
  const stored =
    key.passphraseProtected && passphrase !== undefined
      ? await unlockedArmoredKey(armoredKey, passphrase)
      : normalizeArmoredKey(armoredKey);
  const jenkinsXml = buildGpgCredentialXml({ id, description, armoredKey: stored });
  return {
    ok: true,
    id,
    description,
    metadata: {
      kind: "gpg",
      fingerprint: key.fingerprint,
      keyId: key.keyId,
      userIds: key.userIds,
      algorithm: key.algorithm,
      createdAt: key.createdAt,
      expiresAt: key.expiresAt,
      encryptionKeyId: key.encryptionKeyId,
      encryptionExpiresAt: key.encryptionExpiresAt,
      passphraseRemoved: key.passphraseProtected,
    },
    jenkinsXml: new SecretValue(jenkinsXml),
  };
}

export * from "./schemas";
export * from "./jenkins-xml";
export { SecretValue } from "./secret";
export { inspectSshPrivateKey, normalizeSshPrivateKey, SSH_KEY_MESSAGES, MIN_RSA_BITS } from "./ssh-key";
export type { SshKeyInfo, SshKeyType, SshKeyFormat, SshKeyInspection } from "./ssh-key";
export { inspectGpgPrivateKey, normalizeArmoredKey, unlockedArmoredKey, GPG_KEY_MESSAGES } from "./gpg-key";
export type { GpgKeyInfo, GpgKeyInspection } from "./gpg-key";
