import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// Real ssh-keygen and gpg make the keys the portal must accept or refuse, at
// test time, in private temp dirs; nothing secret is ever committed or logged.
// Test keys are throw-away, so passing a new key's passphrase to ssh-keygen -N
// is acceptable here (product code never puts a secret on a command line).

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; rejects with its stderr (never its stdin) on failure. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args[0] ?? ""} exited with ${code}: ${stderr.trim()}`));
    });
    // A command may exit before reading its stdin; that is not a failure.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** A fresh 0700 directory under os.tmpdir(); mkdtemp creates it private. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `restore-drill-${prefix}-`));
}

// ---------------------------------------------------------------------------
// SSH

export type SshKeyAlgorithm = "ed25519" | "rsa" | "ecdsa";
/** openssh: ssh-keygen's default; pem: PKCS#1/SEC1 (`-m PEM`); pkcs8: `-m PKCS8`. */
export type SshKeyFileFormat = "openssh" | "pem" | "pkcs8";

export interface SshKeyPairOptions {
  type: SshKeyAlgorithm;
  /** RSA: default 3072; ECDSA: 256, 384 or 521 (default 256). Ignored for ed25519. */
  bits?: number;
  /** At least 5 characters (ssh-keygen's rule); omitted means unencrypted. */
  passphrase?: string;
  format?: SshKeyFileFormat;
  comment?: string;
  /** Directory to write into; a new temp dir when omitted. */
  dir?: string;
}

export interface SshKeyPair {
  dir: string;
  privateKeyPath: string;
  publicKeyPath: string;
  privateKey: string;
  /** The `.pub` line, comment included. */
  publicKey: string;
  /** What `ssh-keygen -lf <pub>` prints. */
  fingerprint: string;
  bits: number;
  /** ssh-keygen's type label: ED25519, RSA or ECDSA. */
  typeLabel: string;
}

let keyCounter = 0;

export async function generateSshKeyPair(options: SshKeyPairOptions): Promise<SshKeyPair> {
  const dir = options.dir ?? (await makeTempDir("ssh-key"));
  keyCounter += 1;
  const privateKeyPath = path.join(dir, `id_${options.type}_${process.pid}_${keyCounter}`);
  const args = [
    "-q",
    "-t",
    options.type,
    "-N",
    options.passphrase ?? "",
    "-C",
    options.comment ?? "restore-drill-test",
    "-f",
    privateKeyPath,
  ];
  const bits = options.type === "ed25519" ? undefined : (options.bits ?? (options.type === "rsa" ? 3072 : 256));
  if (bits !== undefined) args.push("-b", String(bits));
  if (options.format === "pem") args.push("-m", "PEM");
  if (options.format === "pkcs8") args.push("-m", "PKCS8");
  await runCommand("ssh-keygen", args);

  const publicKeyPath = `${privateKeyPath}.pub`;
  const listed = await sshKeygenFingerprint(publicKeyPath);
  return {
    dir,
    privateKeyPath,
    publicKeyPath,
    privateKey: await readFile(privateKeyPath, "utf8"),
    publicKey: (await readFile(publicKeyPath, "utf8")).trim(),
    ...listed,
  };
}

/** Parses `ssh-keygen -lf FILE`: "256 SHA256:abc… comment (ED25519)". */
export async function sshKeygenFingerprint(keyPath: string): Promise<{ fingerprint: string; bits: number; typeLabel: string }> {
  const { stdout } = await runCommand("ssh-keygen", ["-l", "-E", "sha256", "-f", keyPath]);
  const match = /^(\d+) (SHA256:[A-Za-z0-9+/]+) .*\((\w+)\)\s*$/.exec(stdout.trim());
  if (!match) throw new Error(`Unexpected ssh-keygen -lf output: ${stdout}`);
  return { bits: Number(match[1]), fingerprint: match[2] as string, typeLabel: match[3] as string };
}

// ---------------------------------------------------------------------------
// GPG

export interface GpgHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs gpg in batch mode against this home; `input` goes to stdin (use with --passphrase-fd 0). */
  gpg(args: string[], input?: string): Promise<CommandResult>;
  /** Stops this home's gpg-agent and removes the directory. */
  cleanup(): Promise<void>;
}

export async function createGpgHome(): Promise<GpgHome> {
  // A short path: gpg-agent's socket lives in GNUPGHOME and sockets have a
  // ~108-byte path limit.
  const dir = await mkdtemp(path.join(tmpdir(), "rd-gpg-"));
  const env = { ...process.env, GNUPGHOME: dir };
  // Loopback pinentry lets --passphrase-fd answer, with no terminal or dialog.
  await writeFile(path.join(dir, "gpg-agent.conf"), "allow-loopback-pinentry\n", { mode: 0o600 });
  return {
    dir,
    env,
    gpg: (args, input) => runCommand("gpg", ["--batch", "--no-tty", "--quiet", ...args], { env, input }),
    cleanup: async () => {
      await runCommand("gpgconf", ["--kill", "all"], { env }).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface GpgKeyOptions {
  /** ed25519 (default, with a cv25519 encryption subkey) or RSA (with an RSA subkey of the same size). */
  algorithm?: "ed25519" | "rsa2048" | "rsa3072";
  /** Default "Restore Drill Test <test-N@example.invalid>". */
  userId?: string;
  /** Omitted: the key is unprotected (%no-protection). */
  passphrase?: string;
  /** Default true: add an encryption subkey. */
  encryptionSubkey?: boolean;
  /** gpg expiry for a still-valid key, e.g. "1y" or "2030-01-01"; default "never". */
  expiresIn?: string;
  /** The primary key (and so the whole key) expired in 2020. */
  expired?: boolean;
  /** The primary stays valid but the encryption subkey expired in 2020. */
  encryptionSubkeyExpired?: boolean;
  /** Import the key's own revocation certificate. */
  revoked?: boolean;
  /** Drop the encryption subkey's secret, leaving a stub as a smartcard key would. */
  encryptionSecretMissing?: boolean;
}

export interface GpgTestKey {
  /** Primary fingerprint as `gpg --with-colons --list-secret-keys` prints it. */
  fingerprint: string;
  keyId: string;
  userId: string;
  /** From the `sec` record: creation and expiry (null when none). */
  createdAt: Date;
  expiresAt: Date | null;
  encryptionSubkeyId: string | null;
  armoredPrivateKey: string;
  armoredPublicKey: string;
}

// gpg refuses to create keys that are already expired, so expired keys are
// made with a faked clock in the past.
const PAST = "20200101T000000";
const PAST_PLUS_A_MINUTE = "20200101T000100";

let gpgKeyCounter = 0;

export async function generateGpgKey(home: GpgHome, options: GpgKeyOptions = {}): Promise<GpgTestKey> {
  gpgKeyCounter += 1;
  const userId = options.userId ?? `Restore Drill Test <test-${process.pid}-${gpgKeyCounter}@example.invalid>`;
  const passphrase = options.passphrase ?? "";
  const withPassphrase = ["--pinentry-mode", "loopback", "--passphrase-fd", "0"];
  const inThePast = options.expired || options.encryptionSubkeyExpired ? ["--faked-system-time", PAST] : [];
  const expiry = options.expired ? "1d" : (options.expiresIn ?? "never");

  const algorithm = options.algorithm ?? "ed25519";
  const subkeyAlgorithm = algorithm === "ed25519" ? "cv25519" : algorithm;
  await home.gpg([...inThePast, ...withPassphrase, "--quick-gen-key", userId, algorithm, "sign", expiry], passphrase);
  const fingerprint = await primaryFingerprint(home, userId);

  if (options.encryptionSubkey ?? true) {
    const subkeyArgs = options.encryptionSubkeyExpired
      ? ["--faked-system-time", PAST_PLUS_A_MINUTE, ...withPassphrase, "--quick-add-key", fingerprint, subkeyAlgorithm, "encr", "1d"]
      : [...inThePast, ...withPassphrase, "--quick-add-key", fingerprint, subkeyAlgorithm, "encr", expiry];
    await home.gpg(subkeyArgs, passphrase);
  }
  if (options.encryptionSecretMissing) {
    const subkeyFingerprint = await firstSubkeyFingerprint(home, fingerprint);
    // The trailing '!' limits the deletion to that one subkey's secret part.
    await home.gpg(["--yes", "--delete-secret-keys", `${subkeyFingerprint}!`]);
  }
  if (options.revoked) {
    // gpg writes a revocation certificate for every new key, with its armor
    // line disarmed by a leading ':' so it cannot be imported by accident.
    const certificate = await readFile(path.join(home.dir, "openpgp-revocs.d", `${fingerprint}.rev`), "utf8");
    await home.gpg(["--import"], certificate.replace(/^:-----BEGIN/m, "-----BEGIN"));
  }

  const listing = await home.gpg(["--with-colons", "--list-secret-keys", fingerprint]);
  const records = listing.stdout.split("\n").map((line) => line.split(":"));
  const sec = records.find((fields) => fields[0] === "sec") ?? [];
  const ssb = records.find((fields) => fields[0] === "ssb");
  const exported = await home.gpg([...withPassphrase, "--armor", "--export-secret-keys", fingerprint], passphrase);
  const armoredPublicKey = await home.gpg(["--armor", "--export", fingerprint]);
  return {
    fingerprint,
    keyId: fingerprint.slice(-16),
    userId,
    createdAt: new Date(Number(sec[5]) * 1000),
    expiresAt: sec[6] ? new Date(Number(sec[6]) * 1000) : null,
    encryptionSubkeyId: ssb?.[4] ?? null,
    armoredPrivateKey: exported.stdout,
    armoredPublicKey: armoredPublicKey.stdout,
  };
}

/** The first `fpr` record after the `sec` record, from gpg's machine-readable listing. */
export async function primaryFingerprint(home: GpgHome, selector: string): Promise<string> {
  const { stdout } = await home.gpg(["--with-colons", "--list-secret-keys", selector]);
  const lines = stdout.split("\n");
  const secIndex = lines.findIndex((line) => line.startsWith("sec:"));
  const fpr = lines.slice(secIndex + 1).find((line) => line.startsWith("fpr:"));
  const fingerprint = fpr?.split(":")[9];
  if (secIndex < 0 || !fingerprint) throw new Error(`No secret key listed for ${selector}`);
  return fingerprint;
}

async function firstSubkeyFingerprint(home: GpgHome, primary: string): Promise<string> {
  const { stdout } = await home.gpg(["--with-colons", "--list-secret-keys", primary]);
  const lines = stdout.split("\n");
  const ssbIndex = lines.findIndex((line) => line.startsWith("ssb:"));
  const fingerprint = lines
    .slice(ssbIndex + 1)
    .find((line) => line.startsWith("fpr:"))
    ?.split(":")[9];
  if (ssbIndex < 0 || !fingerprint) throw new Error(`No subkey listed for ${primary}`);
  return fingerprint;
}
