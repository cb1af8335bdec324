import { generateKeyPairSync } from "node:crypto";
import { rm } from "node:fs/promises";
import { inspectSshPrivateKey, MIN_RSA_BITS, SSH_KEY_MESSAGES, type SshKeyInspection } from "@/lib/credentials/ssh-key";
import { generateSshKeyPair, makeTempDir, runCommand, type SshKeyPair, type SshKeyPairOptions } from "@/tests/support/keys";

const PASSPHRASE = "correct horse battery";
const HOOK_TIMEOUT_MS = 60_000;
// it.each tables are built before beforeAll runs, so this one is static text:
// the first line of every unencrypted OpenSSH key, then nothing.
const TRUNCATED_OPENSSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";

let dir: string;
const keys = new Map<string, SshKeyPair>();

const FIXTURES: Record<string, Omit<SshKeyPairOptions, "dir">> = {
  ed25519: { type: "ed25519" },
  ed25519Encrypted: { type: "ed25519", passphrase: PASSPHRASE },
  rsa3072: { type: "rsa", bits: 3072 },
  rsa3072Encrypted: { type: "rsa", bits: 3072, passphrase: PASSPHRASE },
  rsaPemEncrypted: { type: "rsa", bits: 3072, format: "pem", passphrase: PASSPHRASE },
  ecdsa256: { type: "ecdsa", bits: 256 },
  ecdsa384Pem: { type: "ecdsa", bits: 384, format: "pem" },
  ecdsa521Pkcs8Encrypted: { type: "ecdsa", bits: 521, format: "pkcs8", passphrase: PASSPHRASE },
  rsa1024: { type: "rsa", bits: 1024 },
};

function fixture(name: string): SshKeyPair {
  const key = keys.get(name);
  if (!key) throw new Error(`fixture ${name} was not generated`);
  return key;
}

function expectRefusal(result: SshKeyInspection, field: "privateKey" | "passphrase", message: string): void {
  expect(result).toEqual({ ok: false, field, message });
}

beforeAll(async () => {
  dir = await makeTempDir("ssh-key-test");
  for (const [name, options] of Object.entries(FIXTURES)) keys.set(name, await generateSshKeyPair({ ...options, dir }));
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("inspectSshPrivateKey on valid keys", () => {
  it.each([
    ["ed25519", "ed25519", undefined],
    ["ed25519Encrypted", "ed25519", PASSPHRASE],
    ["rsa3072", "rsa", undefined],
    ["rsa3072Encrypted", "rsa", PASSPHRASE],
    ["rsaPemEncrypted", "rsa", PASSPHRASE],
    ["ecdsa256", "ecdsa", undefined],
    ["ecdsa384Pem", "ecdsa", undefined],
    ["ecdsa521Pkcs8Encrypted", "ecdsa", PASSPHRASE],
  ] as const)("should report %s exactly as ssh-keygen -lf does", (name, keyType, passphrase) => {
    const key = fixture(name);
    const result = inspectSshPrivateKey(key.privateKey, passphrase);
    if (!result.ok) throw new Error(`expected ${name} to be accepted, got: ${result.message}`);
    expect(result.key.fingerprint).toBe(key.fingerprint);
    expect(result.key.bits).toBe(key.bits);
    expect(result.key.keyType).toBe(keyType);
    expect(result.key.keyType.toUpperCase()).toBe(key.typeLabel);
    expect(result.key.encrypted).toBe(passphrase !== undefined);
  });

  it("should return the public key line without its comment", () => {
    const key = fixture("ed25519");
    const result = inspectSshPrivateKey(key.privateKey);
    if (!result.ok) throw new Error(result.message);
    const [algorithm, blob] = key.publicKey.split(" ");
    expect(result.key.publicKey).toBe(`${algorithm} ${blob}`);
  });

  it("should tell OpenSSH and PEM formats apart", () => {
    const openssh = inspectSshPrivateKey(fixture("rsa3072").privateKey);
    const pem = inspectSshPrivateKey(fixture("ecdsa384Pem").privateKey);
    expect(openssh.ok && openssh.key.format).toBe("openssh");
    expect(pem.ok && pem.key.format).toBe("pem");
  });

  it("should accept a key pasted with CRLF line ends and surrounding blanks", () => {
    const key = fixture("ed25519Encrypted");
    const pasted = `\n  ${key.privateKey.replace(/\n/g, "\r\n")}  \n\n`;
    const result = inspectSshPrivateKey(pasted, PASSPHRASE);
    expect(result.ok && result.key.fingerprint).toBe(key.fingerprint);
  });

  it("should treat an empty passphrase as no passphrase", () => {
    const result = inspectSshPrivateKey(fixture("ed25519").privateKey, "");
    expect(result.ok).toBe(true);
  });
});

describe("inspectSshPrivateKey on encrypted keys", () => {
  it.each(["ed25519Encrypted", "rsaPemEncrypted", "ecdsa521Pkcs8Encrypted"])("should ask for the passphrase of %s", (name) => {
    expectRefusal(inspectSshPrivateKey(fixture(name).privateKey), "passphrase", "This key is encrypted: enter its passphrase");
  });

  it.each(["ed25519Encrypted", "rsa3072Encrypted", "rsaPemEncrypted", "ecdsa521Pkcs8Encrypted"])(
    "should refuse a wrong passphrase for %s",
    (name) => {
      expectRefusal(
        inspectSshPrivateKey(fixture(name).privateKey, `${PASSPHRASE}!`),
        "passphrase",
        "The passphrase does not open this key",
      );
    },
  );

  it.each(["ed25519", "ecdsa384Pem"])("should refuse a passphrase for the unencrypted %s", (name) => {
    expectRefusal(inspectSshPrivateKey(fixture(name).privateKey, PASSPHRASE), "passphrase", SSH_KEY_MESSAGES.notEncrypted);
  });
});

describe("inspectSshPrivateKey on things that are not a usable private key", () => {
  it("should refuse an OpenSSH public key line", () => {
    expectRefusal(inspectSshPrivateKey(fixture("ed25519").publicKey), "privateKey", "This is a public key; paste the private key");
  });

  it.each([
    ["PKCS8", "-----BEGIN PUBLIC KEY-----"],
    ["RFC4716", "---- BEGIN SSH2 PUBLIC KEY ----"],
  ])("should refuse a public key exported as %s", async (format, header) => {
    const { stdout } = await runCommand("ssh-keygen", ["-e", "-m", format, "-f", fixture("rsa3072").publicKeyPath]);
    expect(stdout).toContain(header);
    expectRefusal(inspectSshPrivateKey(stdout), "privateKey", "This is a public key; paste the private key");
  });

  it(`should refuse RSA keys shorter than ${MIN_RSA_BITS} bits`, () => {
    expectRefusal(inspectSshPrivateKey(fixture("rsa1024").privateKey), "privateKey", SSH_KEY_MESSAGES.rsaTooShort(1024));
  });

  it("should refuse a DSA key", () => {
    const { privateKey } = generateKeyPairSync("dsa", { modulusLength: 1024, divisorLength: 160 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expectRefusal(inspectSshPrivateKey(pem), "privateKey", SSH_KEY_MESSAGES.dsa);
  });

  it("should refuse two keys pasted together", () => {
    const both = `${fixture("ed25519").privateKey}${fixture("rsa3072").privateKey}`;
    expectRefusal(inspectSshPrivateKey(both), "privateKey", SSH_KEY_MESSAGES.severalKeys);
  });

  it("should refuse a damaged OpenSSH key", () => {
    const lines = fixture("ed25519").privateKey.trim().split("\n");
    const damaged = [lines[0], ...lines.slice(1, -1).map((line) => line.slice(0, 20)), lines.at(-1)].join("\n");
    expectRefusal(inspectSshPrivateKey(damaged), "privateKey", SSH_KEY_MESSAGES.unreadable);
  });

  it("should refuse a damaged PEM key", () => {
    const lines = fixture("ecdsa384Pem").privateKey.trim().split("\n");
    const damaged = [lines[0], "AAAA", lines.at(-1)].join("\n");
    expectRefusal(inspectSshPrivateKey(damaged), "privateKey", SSH_KEY_MESSAGES.unreadable);
  });

  it.each([
    ["plain text", "hello world"],
    ["a key without its END line", TRUNCATED_OPENSSH_KEY],
    ["a certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"],
  ])("should refuse %s", (_label, text) => {
    expectRefusal(inspectSshPrivateKey(text), "privateKey", SSH_KEY_MESSAGES.notAKey);
  });

  it("should point at the GPG form when given an OpenPGP key", () => {
    const armored = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQ==\n-----END PGP PRIVATE KEY BLOCK-----";
    expectRefusal(inspectSshPrivateKey(armored), "privateKey", SSH_KEY_MESSAGES.openPgpKey);
  });

  it("should explain how to convert a PuTTY key", () => {
    const ppk = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\n";
    expectRefusal(inspectSshPrivateKey(ppk), "privateKey", SSH_KEY_MESSAGES.puttyKey);
  });
});
