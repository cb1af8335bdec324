/**
 * Throw-away GnuPG keys for tests.
 *
 *   const key = await createGpgKey(dir, "backup");   // ed25519 + cv25519, no passphrase
 *   key.secretKeyPath   // armored secret key export: the "Secret file" credential content
 *   key.fingerprint     // primary key fingerprint
 *   await gpgEncrypt(key, plainPath, outPath, { armor: true })
 *   await disposeGpgKey(key)                          // stops its gpg-agent, removes its home
 *
 * Each key lives in its own GNUPGHOME under `dir`, so tests never touch the
 * user's keyring. Keep `dir` short: gpg-agent's socket path must fit 107 bytes.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { run, runOk } from "./process";

export interface GpgKey {
  home: string;
  email: string;
  fingerprint: string;
  secretKeyPath: string;
}

function gpgEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, GNUPGHOME: home };
}

export async function createGpgKey(dir: string, name: string): Promise<GpgKey> {
  const home = path.join(dir, `gnupg-${name}`);
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  const email = `${name}@restore-drill.test`;
  const env = gpgEnv(home);
  const batch = ["--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""];
  await runOk("gpg", [...batch, "--quick-gen-key", `${name} <${email}>`, "ed25519", "sign", "never"], { env });
  const listing = await runOk("gpg", ["--batch", "--list-keys", "--with-colons", email], { env });
  const fingerprint = listing.stdout
    .split("\n")
    .find((l) => l.startsWith("fpr:"))
    ?.split(":")[9];
  if (!fingerprint) throw new Error(`no fingerprint for ${email}`);
  await runOk("gpg", [...batch, "--quick-add-key", fingerprint, "cv25519", "encr", "never"], { env });
  const secretKeyPath = path.join(dir, `${name}.secret.asc`);
  await runOk("gpg", ["--batch", "--armor", "--export-secret-keys", fingerprint], { env, stdoutFile: secretKeyPath });
  await fs.chmod(secretKeyPath, 0o600);
  return { home, email, fingerprint, secretKeyPath };
}

export async function gpgEncrypt(key: GpgKey, input: string, output: string, opts: { armor?: boolean } = {}): Promise<void> {
  await runOk(
    "gpg",
    [
      "--batch",
      "--yes",
      "--trust-model",
      "always",
      ...(opts.armor ? ["--armor"] : []),
      "-r",
      key.fingerprint,
      "-o",
      output,
      "--encrypt",
      input,
    ],
    { env: gpgEnv(key.home) },
  );
}

export async function disposeGpgKey(key: GpgKey): Promise<void> {
  await run("gpgconf", ["--kill", "all"], { env: gpgEnv(key.home) });
  await fs.rm(key.home, { recursive: true, force: true });
}
