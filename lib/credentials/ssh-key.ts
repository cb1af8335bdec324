import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import sshpk from "sshpk";

// OpenSSH's own format (including bcrypt-pbkdf encrypted keys) is read by sshpk;
// PEM keys (PKCS#1, SEC1, PKCS#8, encrypted or not) by Node's OpenSSL, which
// knows every PEM cipher. Nothing is written to disk and no process is started,
// so the key and passphrase never appear on a command line.

export type SshKeyType = "ed25519" | "rsa" | "ecdsa";
export type SshKeyFormat = "openssh" | "pem";

export interface SshKeyInfo {
  keyType: SshKeyType;
  bits: number;
  /** As `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64. */
  fingerprint: string;
  /** One authorized_keys line without a comment, to install on the backup server. */
  publicKey: string;
  format: SshKeyFormat;
  encrypted: boolean;
}

export type SshKeyField = "privateKey" | "passphrase";
export type SshKeyInspection = { ok: true; key: SshKeyInfo } | { ok: false; field: SshKeyField; message: string };

export const SSH_KEY_MESSAGES = {
  notAKey: "This is not an SSH private key: paste the whole file, from its -----BEGIN line to its -----END line",
  severalKeys: "Paste exactly one private key",
  publicKey: "This is a public key; paste the private key",
  puttyKey: "PuTTY keys are not supported: convert it with `puttygen key.ppk -O private-openssh -o key`",
  openPgpKey: "This is an OpenPGP key: add it as a GPG key instead",
  needsPassphrase: "This key is encrypted: enter its passphrase",
  wrongPassphrase: "The passphrase does not open this key",
  notEncrypted: "This key is not encrypted: leave the passphrase empty",
  unreadable: "This SSH private key is damaged or in an unsupported format",
  dsa: "DSA keys are no longer accepted by OpenSSH: use an Ed25519 key (ssh-keygen -t ed25519)",
  unsupportedType: "Unsupported key type: use an Ed25519, ECDSA (NIST P-256/384/521) or RSA key",
  rsaTooShort: (bits: number) => `This RSA key has ${bits} bits; RSA keys need at least ${MIN_RSA_BITS}`,
} as const;

export const MIN_RSA_BITS = 2048;

const BEGIN_LINE = /^-----BEGIN ([A-Z0-9 ]+)-----$/gm;
const PUBLIC_KEY_LINE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9@.-]+)\s+AAAA/;
const PEM_PRIVATE_LABELS = new Set(["RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);

/** The text as it will be stored in Jenkins: LF line ends, no surrounding blanks, one final newline. */
export function normalizeSshPrivateKey(text: string): string {
  return `${text.replace(/\r\n?/g, "\n").trim()}\n`;
}

export function inspectSshPrivateKey(privateKey: string, passphrase?: string): SshKeyInspection {
  const text = normalizeSshPrivateKey(privateKey).trimEnd();
  const given = passphrase === "" ? undefined : passphrase;

  if (PUBLIC_KEY_LINE.test(text) || /-----BEGIN (RSA |OPENSSH )?PUBLIC KEY-----|---- BEGIN SSH2 PUBLIC KEY ----/.test(text)) {
    return refuse("privateKey", SSH_KEY_MESSAGES.publicKey);
  }
  if (text.startsWith("PuTTY-User-Key-File-")) return refuse("privateKey", SSH_KEY_MESSAGES.puttyKey);
  if (text.includes("-----BEGIN PGP ")) return refuse("privateKey", SSH_KEY_MESSAGES.openPgpKey);

  const labels = [...text.matchAll(BEGIN_LINE)].map((match) => match[1]);
  if (labels.length > 1) return refuse("privateKey", SSH_KEY_MESSAGES.severalKeys);
  const label = labels[0];
  if (label === undefined || !text.startsWith("-----BEGIN ") || !text.endsWith(`-----END ${label}-----`)) {
    return refuse("privateKey", SSH_KEY_MESSAGES.notAKey);
  }
  if (label === "OPENSSH PRIVATE KEY") return inspectOpenSshKey(text, given);
  if (PEM_PRIVATE_LABELS.has(label)) return inspectPemKey(text, label, given);
  return refuse("privateKey", SSH_KEY_MESSAGES.notAKey);
}

function inspectOpenSshKey(text: string, passphrase: string | undefined): SshKeyInspection {
  let encrypted: boolean;
  let key: sshpk.PrivateKey;
  try {
    key = sshpk.parsePrivateKey(text, "ssh");
    encrypted = false;
  } catch (error) {
    if (!isKeyEncryptedError(error)) return refuse("privateKey", SSH_KEY_MESSAGES.unreadable);
    if (passphrase === undefined) return refuse("passphrase", SSH_KEY_MESSAGES.needsPassphrase);
    try {
      key = sshpk.parsePrivateKey(text, "ssh", { passphrase });
      encrypted = true;
    } catch {
      // sshpk checks OpenSSH's two "checkint" words, so a wrong passphrase is
      // caught reliably rather than yielding garbage.
      return refuse("passphrase", SSH_KEY_MESSAGES.wrongPassphrase);
    }
  }
  if (!encrypted && passphrase !== undefined) return refuse("passphrase", SSH_KEY_MESSAGES.notEncrypted);
  return describe(key.toPublic(), "openssh", encrypted);
}

function inspectPemKey(text: string, label: string, passphrase: string | undefined): SshKeyInspection {
  // Node 20 reports a missing passphrase as a generic OpenSSL "interrupted"
  // error, so read encryption from the PEM headers instead of the exception.
  const encrypted = label === "ENCRYPTED PRIVATE KEY" || /^Proc-Type:\s*4,ENCRYPTED\s*$/m.test(text);
  if (encrypted && passphrase === undefined) return refuse("passphrase", SSH_KEY_MESSAGES.needsPassphrase);
  if (!encrypted && passphrase !== undefined) return refuse("passphrase", SSH_KEY_MESSAGES.notEncrypted);

  let privateKeyObject: KeyObject;
  try {
    privateKeyObject = createPrivateKey({ key: text, format: "pem", ...(encrypted ? { passphrase } : {}) });
  } catch {
    // With a wrong passphrase OpenSSL fails either on padding or on the ASN.1
    // that follows, depending on the bytes; both mean the same thing here.
    return refuse(encrypted ? "passphrase" : "privateKey", encrypted ? SSH_KEY_MESSAGES.wrongPassphrase : SSH_KEY_MESSAGES.unreadable);
  }
  if (privateKeyObject.asymmetricKeyType === "dsa") return refuse("privateKey", SSH_KEY_MESSAGES.dsa);

  const spki = createPublicKey(privateKeyObject).export({ type: "spki", format: "pem" }).toString();
  let publicKey: sshpk.Key;
  try {
    publicKey = sshpk.parseKey(spki, "pem");
  } catch {
    return refuse("privateKey", SSH_KEY_MESSAGES.unsupportedType);
  }
  return describe(publicKey, "pem", encrypted);
}

function describe(publicKey: sshpk.Key, format: SshKeyFormat, encrypted: boolean): SshKeyInspection {
  const type = publicKey.type as string;
  if (type === "dsa") return refuse("privateKey", SSH_KEY_MESSAGES.dsa);
  if (type !== "ed25519" && type !== "rsa" && type !== "ecdsa") return refuse("privateKey", SSH_KEY_MESSAGES.unsupportedType);
  if (type === "rsa" && publicKey.size < MIN_RSA_BITS) return refuse("privateKey", SSH_KEY_MESSAGES.rsaTooShort(publicKey.size));

  // Comments come from the key file and may name a person or host; drop them.
  publicKey.comment = "";
  return {
    ok: true,
    key: {
      keyType: type,
      bits: publicKey.size,
      fingerprint: publicKey.fingerprint("sha256").toString(),
      publicKey: publicKey.toString("ssh").trim(),
      format,
      encrypted,
    },
  };
}

function isKeyEncryptedError(error: unknown): boolean {
  return error instanceof Error && error.name === "KeyEncryptedError";
}

function refuse(field: SshKeyField, message: string): SshKeyInspection {
  return { ok: false, field, message };
}
