// The demo's backup server: a real OpenSSH server on 127.0.0.1 with its own config, host key
// and authorized_keys under DATA_DIR/demo, serving DATA_DIR/demo/backups. Its client key and a
// GPG key are generated here too (mode 0600, never printed) and stored in Jenkins by
// tools/demo/main.ts, so the restore jobs log in and decrypt exactly as in production.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import path from "node:path";
import { currentUser, exists, run, runOk, waitFor } from "./process";
import { DEMO_TABLES, makeMariaDbDump, type SampleTable } from "./sample-dumps";

export interface DemoFiles {
  dir: string;
  backupsDir: string;
  hostKeyPath: string;
  hostPublicKey: string;
  clientKeyPath: string;
  gpgHome: string;
  gpgFingerprint: string;
  gpgSecretKeyPath: string;
  /** The encrypted sample MariaDB dump and what it holds. */
  sample: { path: string; tables: readonly SampleTable[] };
}

async function sshKeyPair(file: string, comment: string): Promise<string> {
  if (!(await exists(file))) await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
  await fs.chmod(file, 0o600);
  return (await fs.readFile(`${file}.pub`, "utf8")).trim().split(" ").slice(0, 2).join(" ");
}

const gpgEnv = (home: string) => ({ ...process.env, GNUPGHOME: home });

/** An unprotected ed25519 + cv25519 key in its own GNUPGHOME; the armored secret key in a 0600 file. */
async function gpgKey(dir: string): Promise<{ home: string; fingerprint: string; secretKeyPath: string }> {
  // gpg-agent's socket path must fit 107 bytes; a long DATA_DIR gets a clear error from gpg.
  const home = path.join(dir, "gnupg");
  const secretKeyPath = path.join(dir, "gpg-secret-key.asc");
  const email = "demo-backups@restore-drill.local";
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  const env = gpgEnv(home);
  const batch = ["--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""];
  const fingerprintOf = async () =>
    (await run("gpg", ["--batch", "--list-secret-keys", "--with-colons", email], { env })).stdout
      .split("\n")
      .find((l) => l.startsWith("fpr:"))
      ?.split(":")[9];
  let fingerprint = await fingerprintOf();
  if (!fingerprint) {
    await runOk("gpg", [...batch, "--quick-gen-key", `Restore Drill demo backups <${email}>`, "ed25519", "sign", "never"], { env });
    fingerprint = await fingerprintOf();
    if (!fingerprint) throw new Error("gpg made no key");
    await runOk("gpg", [...batch, "--quick-add-key", fingerprint, "cv25519", "encr", "never"], { env });
  }
  if (!(await exists(secretKeyPath)))
    await runOk("gpg", ["--batch", "--armor", "--export-secret-keys", fingerprint], { env, stdoutFile: secretKeyPath });
  await fs.chmod(secretKeyPath, 0o600);
  return { home, fingerprint, secretKeyPath };
}

export async function gpgEncryptFor(home: string, fingerprint: string, input: string, output: string): Promise<void> {
  await runOk("gpg", ["--batch", "--yes", "--trust-model", "always", "-r", fingerprint, "-o", output, "--encrypt", input], {
    env: gpgEnv(home),
  });
}

/** Creates what is missing under `dir` (keys, GPG key, encrypted sample); reuses what exists. */
export async function prepareDemoFiles(dir: string): Promise<DemoFiles> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const backupsDir = path.join(dir, "backups");
  await fs.mkdir(backupsDir, { recursive: true, mode: 0o700 });
  const hostKeyPath = path.join(dir, "ssh_host_ed25519_key");
  const clientKeyPath = path.join(dir, "backup_client_ed25519");
  const hostPublicKey = await sshKeyPair(hostKeyPath, "restore-drill demo backup host");
  const clientPublicKey = await sshKeyPair(clientKeyPath, "restore-drill demo jenkins");
  // `restrict`: the key may run a command (cat) and nothing else — no pty, no forwarding.
  await fs.writeFile(path.join(dir, "authorized_keys"), `restrict ${clientPublicKey}\n`, { mode: 0o600 });
  const gpg = await gpgKey(dir);

  const samplePath = path.join(backupsDir, "shop-mariadb.sql.gpg");
  if (!(await exists(samplePath))) {
    const plain = path.join(dir, "shop-mariadb.sql");
    try {
      await makeMariaDbDump(DEMO_TABLES, plain);
      await gpgEncryptFor(gpg.home, gpg.fingerprint, plain, samplePath);
    } finally {
      await fs.rm(plain, { force: true });
    }
  }
  // gpg left an agent running for this home; the demo needs none.
  await run("gpgconf", ["--kill", "all"], { env: gpgEnv(gpg.home) });
  return {
    dir,
    backupsDir,
    hostKeyPath,
    hostPublicKey,
    clientKeyPath,
    gpgHome: gpg.home,
    gpgFingerprint: gpg.fingerprint,
    gpgSecretKeyPath: gpg.secretKeyPath,
    sample: { path: samplePath, tables: DEMO_TABLES },
  };
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface RunningSshd {
  host: "127.0.0.1";
  port: number;
  user: string;
  stop(): Promise<void>;
}

/** Starts sshd in the foreground (-D) on 127.0.0.1:port; it lives as long as this process. */
export async function startBackupSshd(files: DemoFiles, port: number): Promise<RunningSshd> {
  if (await portAccepts(port)) throw new Error(`port ${port} is already in use; set DEMO_SSH_PORT to a free port`);
  await fs.mkdir("/run/sshd", { recursive: true, mode: 0o755 }).catch(() => undefined);
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${files.hostKeyPath}`,
    `AuthorizedKeysFile ${path.join(files.dir, "authorized_keys")}`,
    `PidFile ${path.join(files.dir, "sshd.pid")}`,
    // Our files live under DATA_DIR, not ~/.ssh; their modes are set above.
    "StrictModes no",
    "UsePAM no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "AllowTcpForwarding no",
    "X11Forwarding no",
    "LogLevel ERROR",
    "",
  ].join("\n");
  const configPath = path.join(files.dir, "sshd_config");
  await fs.writeFile(configPath, config, { mode: 0o600 });
  const child: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(async () => child.exitCode === null && (await portAccepts(port)), 10_000, `sshd on port ${port}`);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}: ${log.trim()}`);
  }
  return {
    host: "127.0.0.1",
    port,
    user: currentUser(),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
