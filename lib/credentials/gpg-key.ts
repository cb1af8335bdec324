import * as openpgp from "openpgp";

// The decrypt stage runs gpg on Jenkins; this check answers "will gpg be able
// to decrypt our backups with this key?" before the key is stored.

export interface GpgKeyInfo {
  /** Primary key fingerprint, 40 upper-case hex digits, as `gpg --with-colons` prints it. */
  fingerprint: string;
  /** Long key id (16 upper-case hex digits) of the primary key. */
  keyId: string;
  userIds: string[];
  /** gpg's short name for the primary key algorithm: `ed25519`, `rsa3072`, `nistp256`… */
  algorithm: string;
  createdAt: Date;
  /** When the primary key expires; null when it never does. */
  expiresAt: Date | null;
  /** The subkey (or primary) gpg will decrypt backups with. */
  encryptionKeyId: string;
  encryptionAlgorithm: string;
  /** When that encryption key stops being usable (its own or the primary's expiry); null when never. */
  encryptionExpiresAt: Date | null;
  passphraseProtected: boolean;
}

export type GpgKeyField = "armoredKey" | "passphrase";
export type GpgKeyInspection = { ok: true; key: GpgKeyInfo } | { ok: false; field: GpgKeyField; message: string };

export const GPG_KEY_MESSAGES = {
  notAKey: "This is not an ASCII-armored OpenPGP key: paste the output of gpg --export-secret-keys --armor KEY-ID",
  severalKeys: (count: number) => `This block holds ${count} keys: export just one with gpg --export-secret-keys --armor FINGERPRINT`,
  publicKey: "This is a public key; export the secret key with gpg --export-secret-keys --armor",
  sshKey: "This is an SSH key: add it as an SSH key instead",
  revoked: "This key has been revoked",
  expired: (when: Date) => `This key expired on ${isoDay(when)}`,
  noEncryptionKey: (fingerprint: string) =>
    `This key cannot encrypt: add an encryption subkey with gpg --quick-add-key ${fingerprint} cv25519 encr`,
  encryptionKeyUnusable: (fingerprint: string) =>
    `Its encryption subkey has expired or been revoked: add a new one with gpg --quick-add-key ${fingerprint} cv25519 encr`,
  encryptionSecretMissing:
    "The secret part of the encryption subkey is missing (is it on a smartcard, or exported with --export-secret-subkeys of another subkey?)",
  needsPassphrase: "This key is protected: enter its passphrase",
  wrongPassphrase: "The passphrase does not open this key",
  notProtected: "This key is not protected by a passphrase: leave the passphrase empty",
  unreadable: "This key could not be read: it is damaged or uses an OpenPGP feature the portal cannot check",
} as const;

// gpg decrypts with old algorithms that OpenPGP.js refuses by default (ElGamal,
// DSA-signed keys, short RSA, secp256k1); judge the key as gpg would.
const GPG_COMPATIBLE_CONFIG: openpgp.Config = {
  ...openpgp.config,
  rejectPublicKeyAlgorithms: new Set(),
  rejectCurves: new Set(),
  minRSABits: 1024,
};

const ENCRYPTION_ALGORITHMS = new Set<string>(["rsaEncryptSign", "rsaEncrypt", "elgamal", "ecdh", "x25519", "x448", "pqc_mlkem_x25519"]);
const KEY_FLAG_ENCRYPT_COMMUNICATION = 0x04;
const KEY_FLAG_ENCRYPT_STORAGE = 0x08;

const GPG_CURVE_NAMES: Record<string, string> = {
  ed25519Legacy: "ed25519",
  curve25519Legacy: "cv25519",
  nistP256: "nistp256",
  nistP384: "nistp384",
  nistP521: "nistp521",
};

/** LF line ends, no surrounding blanks, one final newline: what Jenkins will store. */
export function normalizeArmoredKey(text: string): string {
  return `${text.replace(/\r\n?/g, "\n").trim()}\n`;
}

export async function inspectGpgPrivateKey(
  armoredKey: string,
  passphrase?: string,
  options: { now?: Date } = {},
): Promise<GpgKeyInspection> {
  const now = options.now ?? new Date();
  const text = normalizeArmoredKey(armoredKey);
  const given = passphrase === "" ? undefined : passphrase;

  if (/-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----/.test(text)) return refuse("armoredKey", GPG_KEY_MESSAGES.sshKey);
  if (text.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----") && !text.includes("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
    return refuse("armoredKey", GPG_KEY_MESSAGES.publicKey);
  }

  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: text, config: GPG_COMPATIBLE_CONFIG });
  } catch {
    return refuse("armoredKey", GPG_KEY_MESSAGES.notAKey);
  }
  if (keys.length !== 1) return refuse("armoredKey", GPG_KEY_MESSAGES.severalKeys(keys.length));
  const key = keys[0] as openpgp.Key;
  if (!key.isPrivate()) return refuse("armoredKey", GPG_KEY_MESSAGES.publicKey);

  try {
    return await inspectPrivateKey(key, given, now);
  } catch {
    // OpenPGP.js messages can quote packet contents; never pass them on.
    return refuse("armoredKey", GPG_KEY_MESSAGES.unreadable);
  }
}

async function inspectPrivateKey(key: openpgp.PrivateKey, passphrase: string | undefined, now: Date): Promise<GpgKeyInspection> {
  if (await key.isRevoked(undefined, undefined, now, GPG_COMPATIBLE_CONFIG)) return refuse("armoredKey", GPG_KEY_MESSAGES.revoked);

  const expiresAt = asDate(await key.getExpirationTime(undefined, GPG_COMPATIBLE_CONFIG));
  if (expiresAt !== null && expiresAt <= now) return refuse("armoredKey", GPG_KEY_MESSAGES.expired(expiresAt));

  let encryptionKey: openpgp.PrivateKey | openpgp.Subkey;
  try {
    encryptionKey = await key.getEncryptionKey(undefined, now, undefined, GPG_COMPATIBLE_CONFIG);
  } catch {
    const fingerprint = key.getFingerprint().toUpperCase();
    const message = hasEncryptionCapableSubkey(key)
      ? GPG_KEY_MESSAGES.encryptionKeyUnusable(fingerprint)
      : GPG_KEY_MESSAGES.noEncryptionKey(fingerprint);
    return refuse("armoredKey", message);
  }
  const encryptionPacket = encryptionKey.keyPacket;
  if ("isDummy" in encryptionPacket && encryptionPacket.isDummy()) return refuse("armoredKey", GPG_KEY_MESSAGES.encryptionSecretMissing);

  const passphraseProtected = !key.isDecrypted();
  if (passphraseProtected && passphrase === undefined) return refuse("passphrase", GPG_KEY_MESSAGES.needsPassphrase);
  if (!passphraseProtected && passphrase !== undefined) return refuse("passphrase", GPG_KEY_MESSAGES.notProtected);
  if (passphraseProtected) {
    try {
      await openpgp.decryptKey({ privateKey: key, passphrase, config: GPG_COMPATIBLE_CONFIG });
    } catch {
      return refuse("passphrase", GPG_KEY_MESSAGES.wrongPassphrase);
    }
  }

  const encryptionOwnExpiry = encryptionKey === key ? null : asDate(await encryptionKey.getExpirationTime(now, GPG_COMPATIBLE_CONFIG));
  return {
    ok: true,
    key: {
      fingerprint: key.getFingerprint().toUpperCase(),
      keyId: key.getKeyID().toHex().toUpperCase(),
      userIds: key.getUserIDs(),
      algorithm: gpgAlgorithmName(key.getAlgorithmInfo()),
      createdAt: key.getCreationTime(),
      expiresAt,
      encryptionKeyId: encryptionKey.getKeyID().toHex().toUpperCase(),
      encryptionAlgorithm: gpgAlgorithmName(encryptionKey.getAlgorithmInfo()),
      encryptionExpiresAt: earliest(expiresAt, encryptionOwnExpiry),
      passphraseProtected,
    },
  };
}

/** Tells "never had an encryption subkey" apart from "it expired or was revoked". */
function hasEncryptionCapableSubkey(key: openpgp.PrivateKey): boolean {
  return key.subkeys.some((subkey) => {
    if (!ENCRYPTION_ALGORITHMS.has(subkey.getAlgorithmInfo().algorithm)) return false;
    return subkey.bindingSignatures.some((signature) => {
      const flags = signature.keyFlags?.[0];
      return flags === undefined || (flags & (KEY_FLAG_ENCRYPT_COMMUNICATION | KEY_FLAG_ENCRYPT_STORAGE)) !== 0;
    });
  });
}

function gpgAlgorithmName(info: openpgp.AlgorithmInfo): string {
  switch (info.algorithm) {
    case "rsaEncryptSign":
    case "rsaEncrypt":
    case "rsaSign":
      return `rsa${info.bits ?? ""}`;
    case "dsa":
      return `dsa${info.bits ?? ""}`;
    case "elgamal":
      return `elg${info.bits ?? ""}`;
    case "ed25519":
      return "ed25519";
    case "x25519":
      return "cv25519";
    case "ed448":
      return "ed448";
    case "x448":
      return "cv448";
    default:
      return info.curve ? (GPG_CURVE_NAMES[info.curve] ?? info.curve) : info.algorithm;
  }
}

function asDate(value: Date | number | null): Date | null {
  return value instanceof Date ? value : null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function refuse(field: GpgKeyField, message: string): GpgKeyInspection {
  return { ok: false, field, message };
}

/**
 * The same key with its passphrase protection removed, ASCII-armored. The decrypt
 * stage imports the key file without a passphrase (jenkins-jobs/README.md), so a
 * protected key is stored unlocked in Jenkins' credentials store, which encrypts
 * it at rest; the passphrase itself is kept nowhere. Call only after
 * inspectGpgPrivateKey accepted the key and passphrase.
 */
export async function unlockedArmoredKey(armoredKey: string, passphrase: string): Promise<string> {
  try {
    const privateKey = await openpgp.readPrivateKey({ armoredKey: normalizeArmoredKey(armoredKey), config: GPG_COMPATIBLE_CONFIG });
    const unlocked = await openpgp.decryptKey({ privateKey, passphrase, config: GPG_COMPATIBLE_CONFIG });
    return normalizeArmoredKey(unlocked.armor(GPG_COMPATIBLE_CONFIG));
  } catch {
    // As above: OpenPGP.js messages can quote packet contents.
    throw new Error("The GPG key could not be unlocked with its passphrase");
  }
}
