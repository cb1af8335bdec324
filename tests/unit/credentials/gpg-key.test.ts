import { rm } from "node:fs/promises";
import { GPG_KEY_MESSAGES, inspectGpgPrivateKey, type GpgKeyInspection } from "@/lib/credentials/gpg-key";
import { createGpgHome, generateGpgKey, generateSshKeyPair, type GpgHome, type GpgTestKey } from "@/tests/support/keys";

const PASSPHRASE = "tr0ub4dor & 3";
const HOOK_TIMEOUT_MS = 90_000;

let home: GpgHome;
let plain: GpgTestKey;
let protectedKey: GpgTestKey;
let expiring: GpgTestKey;
let rsa: GpgTestKey;

beforeAll(async () => {
  home = await createGpgHome();
  plain = await generateGpgKey(home, { userId: "Backup Keeper <keeper@example.invalid>" });
  protectedKey = await generateGpgKey(home, { passphrase: PASSPHRASE });
  expiring = await generateGpgKey(home, { expiresIn: "1y" });
  rsa = await generateGpgKey(home, { algorithm: "rsa2048" });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  if (home) await home.cleanup();
});

function expectRefusal(result: GpgKeyInspection, field: "armoredKey" | "passphrase", message: string): void {
  expect(result).toEqual({ ok: false, field, message });
}

describe("inspectGpgPrivateKey on usable keys", () => {
  it("should report the fingerprint and ids exactly as gpg --with-colons lists them", async () => {
    const result = await inspectGpgPrivateKey(plain.armoredPrivateKey);
    if (!result.ok) throw new Error(result.message);
    expect(result.key.fingerprint).toBe(plain.fingerprint);
    expect(result.key.keyId).toBe(plain.keyId);
    expect(result.key.encryptionKeyId).toBe(plain.encryptionSubkeyId);
    expect(result.key.userIds).toEqual(["Backup Keeper <keeper@example.invalid>"]);
    expect(result.key.algorithm).toBe("ed25519");
    expect(result.key.encryptionAlgorithm).toBe("cv25519");
    expect(result.key.createdAt).toEqual(plain.createdAt);
    expect(result.key.expiresAt).toBeNull();
    expect(result.key.encryptionExpiresAt).toBeNull();
    expect(result.key.passphraseProtected).toBe(false);
  });

  it("should report the expiry gpg lists for a key that expires", async () => {
    const result = await inspectGpgPrivateKey(expiring.armoredPrivateKey);
    if (!result.ok) throw new Error(result.message);
    expect(expiring.expiresAt).not.toBeNull();
    expect(result.key.expiresAt).toEqual(expiring.expiresAt);
    expect(result.key.encryptionExpiresAt).toEqual(expiring.expiresAt);
  });

  it("should name RSA keys the way gpg does", async () => {
    const result = await inspectGpgPrivateKey(rsa.armoredPrivateKey);
    if (!result.ok) throw new Error(result.message);
    expect(result.key.fingerprint).toBe(rsa.fingerprint);
    expect(result.key.algorithm).toBe("rsa2048");
    expect(result.key.encryptionAlgorithm).toBe("rsa2048");
    expect(result.key.encryptionKeyId).toBe(rsa.encryptionSubkeyId);
  });

  it("should open a protected key with its passphrase", async () => {
    const result = await inspectGpgPrivateKey(protectedKey.armoredPrivateKey, PASSPHRASE);
    if (!result.ok) throw new Error(result.message);
    expect(result.key.fingerprint).toBe(protectedKey.fingerprint);
    expect(result.key.passphraseProtected).toBe(true);
  });

  it("should accept CRLF line ends", async () => {
    const result = await inspectGpgPrivateKey(plain.armoredPrivateKey.replace(/\n/g, "\r\n"));
    expect(result.ok && result.key.fingerprint).toBe(plain.fingerprint);
  });
});

describe("inspectGpgPrivateKey on passphrases", () => {
  it("should ask for the passphrase of a protected key", async () => {
    expectRefusal(await inspectGpgPrivateKey(protectedKey.armoredPrivateKey), "passphrase", GPG_KEY_MESSAGES.needsPassphrase);
    expectRefusal(await inspectGpgPrivateKey(protectedKey.armoredPrivateKey, ""), "passphrase", GPG_KEY_MESSAGES.needsPassphrase);
  });

  it("should refuse a wrong passphrase", async () => {
    expectRefusal(
      await inspectGpgPrivateKey(protectedKey.armoredPrivateKey, "tr0ub4dor & 4"),
      "passphrase",
      "The passphrase does not open this key",
    );
  });

  it("should refuse a passphrase for an unprotected key", async () => {
    expectRefusal(await inspectGpgPrivateKey(plain.armoredPrivateKey, PASSPHRASE), "passphrase", GPG_KEY_MESSAGES.notProtected);
  });
});

describe("inspectGpgPrivateKey on keys gpg could not decrypt backups with", () => {
  it("should refuse an expired key, naming the day it expired", async () => {
    const expired = await generateGpgKey(home, { expired: true });
    expectRefusal(await inspectGpgPrivateKey(expired.armoredPrivateKey), "armoredKey", "This key expired on 2020-01-02");
  });

  it("should refuse a key once its expiry date has passed", async () => {
    const later = new Date((expiring.expiresAt as Date).getTime() + 24 * 3600 * 1000);
    const result = await inspectGpgPrivateKey(expiring.armoredPrivateKey, undefined, { now: later });
    expectRefusal(result, "armoredKey", GPG_KEY_MESSAGES.expired(expiring.expiresAt as Date));
  });

  it("should refuse a key without an encryption subkey", async () => {
    const signOnly = await generateGpgKey(home, { encryptionSubkey: false });
    expect(signOnly.encryptionSubkeyId).toBeNull();
    expectRefusal(
      await inspectGpgPrivateKey(signOnly.armoredPrivateKey),
      "armoredKey",
      `This key cannot encrypt: add an encryption subkey with gpg --quick-add-key ${signOnly.fingerprint} cv25519 encr`,
    );
  });

  it("should refuse a key whose only encryption subkey has expired", async () => {
    const staleSubkey = await generateGpgKey(home, { encryptionSubkeyExpired: true });
    expect(staleSubkey.expiresAt).toBeNull();
    expectRefusal(
      await inspectGpgPrivateKey(staleSubkey.armoredPrivateKey),
      "armoredKey",
      GPG_KEY_MESSAGES.encryptionKeyUnusable(staleSubkey.fingerprint),
    );
  });

  it("should refuse a revoked key", async () => {
    const revoked = await generateGpgKey(home, { revoked: true });
    expectRefusal(await inspectGpgPrivateKey(revoked.armoredPrivateKey), "armoredKey", GPG_KEY_MESSAGES.revoked);
  });

  it("should refuse a key whose encryption subkey secret is only a stub (as for a smartcard)", async () => {
    const stubbed = await generateGpgKey(home, { encryptionSecretMissing: true });
    expect(stubbed.encryptionSubkeyId).not.toBeNull();
    expectRefusal(await inspectGpgPrivateKey(stubbed.armoredPrivateKey), "armoredKey", GPG_KEY_MESSAGES.encryptionSecretMissing);
  });
});

describe("inspectGpgPrivateKey on the wrong kind of paste", () => {
  it("should refuse a public key with the export hint", async () => {
    expectRefusal(
      await inspectGpgPrivateKey(plain.armoredPublicKey),
      "armoredKey",
      "This is a public key; export the secret key with gpg --export-secret-keys --armor",
    );
  });

  it("should refuse a block holding several keys", async () => {
    const several = await home.gpg(["--armor", "--export-secret-keys", plain.fingerprint, expiring.fingerprint]);
    expectRefusal(await inspectGpgPrivateKey(several.stdout), "armoredKey", GPG_KEY_MESSAGES.severalKeys(2));
  });

  it("should refuse a damaged armor block", async () => {
    const lines = plain.armoredPrivateKey.trim().split("\n");
    const damaged = [...lines.slice(0, 4), ...lines.slice(-2)].join("\n");
    expectRefusal(await inspectGpgPrivateKey(damaged), "armoredKey", GPG_KEY_MESSAGES.notAKey);
  });

  it("should refuse text that is not armored at all", async () => {
    expectRefusal(await inspectGpgPrivateKey("my key is on the USB stick"), "armoredKey", GPG_KEY_MESSAGES.notAKey);
  });

  it("should refuse an encrypted message", async () => {
    const message = await home.gpg(["--armor", "--trust-model", "always", "--encrypt", "--recipient", plain.fingerprint], "hello");
    expectRefusal(await inspectGpgPrivateKey(message.stdout), "armoredKey", GPG_KEY_MESSAGES.notAKey);
  });

  it("should point at the SSH form when given an SSH key", async () => {
    const ssh = await generateSshKeyPair({ type: "ed25519" });
    try {
      expectRefusal(await inspectGpgPrivateKey(ssh.privateKey), "armoredKey", GPG_KEY_MESSAGES.sshKey);
    } finally {
      await rm(ssh.dir, { recursive: true, force: true });
    }
  });
});
