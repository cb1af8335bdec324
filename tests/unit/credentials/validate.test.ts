import { rm } from "node:fs/promises";
import { inspect } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { JENKINS_CREDENTIAL_CLASSES, validateGpgCredential, validateSshCredential } from "@/lib/credentials";
import {
  createGpgHome,
  generateGpgKey,
  generateSshKeyPair,
  makeTempDir,
  type GpgHome,
  type GpgTestKey,
  type SshKeyPair,
} from "@/tests/support/keys";

const SSH_PASSPHRASE = "ssh pass phrase 4711";
const GPG_PASSPHRASE = "gpg pass phrase 0815";
const HOOK_TIMEOUT_MS = 90_000;

let dir: string;
let home: GpgHome;
let sshPlain: SshKeyPair;
let sshEncrypted: SshKeyPair;
let gpgPlain: GpgTestKey;
let gpgProtected: GpgTestKey;

beforeAll(async () => {
  dir = await makeTempDir("validate-test");
  sshPlain = await generateSshKeyPair({ type: "ed25519", dir });
  sshEncrypted = await generateSshKeyPair({ type: "rsa", bits: 3072, format: "pem", passphrase: SSH_PASSPHRASE, dir });
  home = await createGpgHome();
  gpgPlain = await generateGpgKey(home);
  gpgProtected = await generateGpgKey(home, { passphrase: GPG_PASSPHRASE });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  if (home) await home.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const reader = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, trimValues: false });

/** Lines of key material long enough that finding one anywhere means a leak. */
function secretFragments(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith("-----") && !line.includes(":"));
}

function expectNoSecrets(value: unknown, secrets: string[]): void {
  const renderings = [JSON.stringify(value), inspect(value, { depth: 10, showHidden: true }), String(value)];
  for (const rendering of renderings) {
    for (const secret of secrets) expect(rendering).not.toContain(secret);
  }
}

describe("validateSshCredential", () => {
  it("should return metadata and a Jenkins body that carries the normalized key", () => {
    const result = validateSshCredential({
      id: "backup-ssh",
      description: "Prod <backups>",
      username: "backup",
      privateKey: sshEncrypted.privateKey.replace(/\n/g, "\r\n"),
      passphrase: SSH_PASSPHRASE,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect(result.id).toBe("backup-ssh");
    expect(result.description).toBe("Prod <backups>");
    expect(result.metadata).toEqual({
      kind: "ssh",
      keyType: "rsa",
      bits: 3072,
      fingerprint: sshEncrypted.fingerprint,
      username: "backup",
      publicKey: sshEncrypted.publicKey.split(" ").slice(0, 2).join(" "),
    });

    const root = reader.parse(result.jenkinsXml.reveal())[JENKINS_CREDENTIAL_CLASSES.ssh];
    expect(root.id).toBe("backup-ssh");
    expect(root.description).toBe("Prod <backups>");
    expect(root.username).toBe("backup");
    expect(root.passphrase).toBe(SSH_PASSPHRASE);
    expect(root.privateKeySource.privateKey).toBe(sshEncrypted.privateKey);
  });

  it("should report schema problems per field before looking at the key", () => {
    const result = validateSshCredential({ id: "?", username: "", privateKey: sshPlain.privateKey, passphrase: SSH_PASSPHRASE });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["id", "username"]);
  });

  it.each([
    [
      "an encrypted key without its passphrase",
      () => ({ privateKey: sshEncrypted.privateKey }),
      "passphrase",
      "This key is encrypted: enter its passphrase",
    ],
    [
      "a wrong passphrase",
      () => ({ privateKey: sshEncrypted.privateKey, passphrase: "wrong one" }),
      "passphrase",
      "The passphrase does not open this key",
    ],
    ["a public key", () => ({ privateKey: sshPlain.publicKey }), "privateKey", "This is a public key; paste the private key"],
  ])("should refuse %s on the right field", (_label, fields, field, message) => {
    const result = validateSshCredential({ id: "backup-ssh", username: "backup", ...fields() });
    expect(result).toEqual({ ok: false, fieldErrors: { [field]: [message] } });
  });
});

describe("validateGpgCredential", () => {
  it("should return metadata and a secret-file body holding the armored key", async () => {
    const result = await validateGpgCredential({ id: "backup-gpg", description: "Prod", armoredKey: gpgPlain.armoredPrivateKey });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect(result.metadata).toMatchObject({
      kind: "gpg",
      fingerprint: gpgPlain.fingerprint,
      keyId: gpgPlain.keyId,
      userIds: [gpgPlain.userId],
      algorithm: "ed25519",
      createdAt: gpgPlain.createdAt,
      expiresAt: null,
      encryptionKeyId: gpgPlain.encryptionSubkeyId,
      passphraseRemoved: false,
    });
    const root = reader.parse(result.jenkinsXml.reveal())[JENKINS_CREDENTIAL_CLASSES.file];
    expect(root.fileName).toBe("backup-gpg.asc");
    expect(Buffer.from(root.secretBytes, "base64").toString("utf8")).toBe(gpgPlain.armoredPrivateKey);
  });

  it("should store a protected key unlocked, so that gpg imports it without the passphrase and decrypts with it", async () => {
    const result = await validateGpgCredential({
      id: "backup-gpg",
      armoredKey: gpgProtected.armoredPrivateKey,
      passphrase: GPG_PASSPHRASE,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    expect(result.metadata).toMatchObject({ fingerprint: gpgProtected.fingerprint, passphraseRemoved: true });
    const body = result.jenkinsXml.reveal();
    // Booleans, not toContain: a failure message must not print key material.
    expect(body.includes(GPG_PASSPHRASE)).toBe(false);
    const root = reader.parse(body)[JENKINS_CREDENTIAL_CLASSES.file];
    expect(root.fileName).toBe("backup-gpg.asc");
    const stored = Buffer.from(root.secretBytes, "base64").toString("utf8");
    expect(stored).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----\n/);
    expect(stored === gpgProtected.armoredPrivateKey).toBe(false);

    // What the decrypt stage does: import into an empty GNUPGHOME with no passphrase at all,
    // then decrypt a message encrypted to the key's public half.
    const jobHome = await createGpgHome();
    try {
      await jobHome.gpg(["--import"], stored);
      const listing = await jobHome.gpg(["--with-colons", "--list-secret-keys"]);
      expect(listing.stdout).toContain(gpgProtected.fingerprint);
      const senderHome = await createGpgHome();
      try {
        await senderHome.gpg(["--import"], gpgProtected.armoredPublicKey);
        const encrypted = await senderHome.gpg(
          ["--armor", "--trust-model", "always", "--encrypt", "--recipient", gpgProtected.fingerprint],
          "rows and rows",
        );
        const decrypted = await jobHome.gpg(["--pinentry-mode", "error", "--decrypt"], encrypted.stdout);
        expect(decrypted.stdout).toBe("rows and rows");
      } finally {
        await senderHome.cleanup();
      }
    } finally {
      await jobHome.cleanup();
    }
  });

  it.each([
    [
      "a protected key without its passphrase",
      () => ({ armoredKey: gpgProtected.armoredPrivateKey }),
      "passphrase",
      "This key is protected: enter its passphrase",
    ],
    [
      "a wrong passphrase",
      () => ({ armoredKey: gpgProtected.armoredPrivateKey, passphrase: "wrong one" }),
      "passphrase",
      "The passphrase does not open this key",
    ],
    [
      "a public key",
      () => ({ armoredKey: gpgPlain.armoredPublicKey }),
      "armoredKey",
      "This is a public key; export the secret key with gpg --export-secret-keys --armor",
    ],
  ])("should refuse %s on the right field", async (_label, fields, field, message) => {
    const result = await validateGpgCredential({ id: "backup-gpg", ...fields() });
    expect(result).toEqual({ ok: false, fieldErrors: { [field]: [message] } });
  });
});

describe("secrets never leave in the clear", () => {
  it("should keep SSH key material and passphrase out of every result and error", () => {
    const secrets = [SSH_PASSPHRASE, ...secretFragments(sshEncrypted.privateKey), ...secretFragments(sshPlain.privateKey)];
    expect(secrets.length).toBeGreaterThan(10);
    const inputs = [
      { privateKey: sshEncrypted.privateKey, passphrase: SSH_PASSPHRASE },
      { privateKey: sshEncrypted.privateKey },
      { privateKey: sshEncrypted.privateKey, passphrase: `${SSH_PASSPHRASE}x` },
      { privateKey: sshPlain.privateKey, passphrase: SSH_PASSPHRASE },
      { privateKey: sshPlain.privateKey.slice(0, 200) },
      { privateKey: sshPlain.privateKey, id: "BAD ID", passphrase: SSH_PASSPHRASE },
    ];
    for (const input of inputs) {
      const result = validateSshCredential({ id: "backup-ssh", username: "backup", ...input });
      expectNoSecrets(result, secrets);
      if (result.ok) {
        // The guard above is only meaningful if the secrets really are inside.
        expect(result.jenkinsXml.reveal()).toContain(SSH_PASSPHRASE);
        expect(result.jenkinsXml.reveal()).toContain(secretFragments(sshEncrypted.privateKey)[0]);
      }
    }
  });

  it("should keep GPG key material and passphrase out of every result and error", async () => {
    const secrets = [GPG_PASSPHRASE, ...secretFragments(gpgProtected.armoredPrivateKey), ...secretFragments(gpgPlain.armoredPrivateKey)];
    expect(secrets.length).toBeGreaterThan(10);
    const inputs = [
      { armoredKey: gpgProtected.armoredPrivateKey, passphrase: GPG_PASSPHRASE },
      { armoredKey: gpgProtected.armoredPrivateKey },
      { armoredKey: gpgProtected.armoredPrivateKey, passphrase: `${GPG_PASSPHRASE}x` },
      { armoredKey: gpgPlain.armoredPrivateKey, passphrase: GPG_PASSPHRASE },
      { armoredKey: gpgPlain.armoredPrivateKey.slice(0, 300) },
      { armoredKey: gpgPlain.armoredPrivateKey, id: "BAD ID" },
    ];
    for (const input of inputs) {
      const result = await validateGpgCredential({ id: "backup-gpg", ...input });
      expectNoSecrets(result, secrets);
      if (result.ok) {
        const fileBody = reader.parse(result.jenkinsXml.reveal())[JENKINS_CREDENTIAL_CLASSES.file];
        // Booleans, not toContain: a failure message must not print key material.
        const stored = Buffer.from(fileBody.secretBytes, "base64").toString("utf8");
        expect(stored.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----")).toBe(true);
        expect(result.jenkinsXml.reveal().includes(GPG_PASSPHRASE)).toBe(false);
        // The unlocked key stored for a protected one is a secret of its own.
        expect(secretFragments(stored).length).toBeGreaterThan(3);
        expectNoSecrets(result, secretFragments(stored));
      }
    }
  });
});
