/**
 * A real OpenSSH server on a loopback port, for tests.
 *
 *   const sshd = await startSshd();            // generated host + client keys
 *   sshd.host, sshd.port, sshd.user            // 127.0.0.1, free port, current user
 *   sshd.hostPublicKey                         // "ssh-ed25519 AAAA…" (for BACKUP_HOST_KEY)
 *   sshd.clientKey.privateKeyPath              // authorised key (for SSH_KEY_FILE)
 *   await generateSshKey(dir, "other")         // a key sshd does not accept
 *   await sshd.stop()                          // kills sshd, removes its dir
 *
 * sshd runs `-D -e` with a generated config: host key, AuthorizedKeysFile in
 * its temp dir, `StrictModes no`, `UsePAM no`, PidFile in the temp dir. Login
 * is as the user running the tests (root in CI). `/run/sshd` (privilege
 * separation dir) is created when missing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { freePort, makeTempDir, removeDir, runOk, waitFor } from "./process";

export interface SshKey {
  privateKeyPath: string;
  publicKey: string;
}

export interface SshdServer {
  host: string;
  port: number;
  user: string;
  dir: string;
  hostPublicKey: string;
  clientKey: SshKey;
  stop(): Promise<void>;
}

export async function generateSshKey(dir: string, name: string, passphrase = ""): Promise<SshKey> {
  const privateKeyPath = path.join(dir, name);
  await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", privateKeyPath]);
  const publicKey = (await fs.readFile(`${privateKeyPath}.pub`, "utf8")).trim();
  return { privateKeyPath, publicKey };
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

export async function startSshd(options: { extraAuthorizedKeys?: string[] } = {}): Promise<SshdServer> {
  await fs.mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = await makeTempDir("rd-sshd");
  const hostKeyPath = path.join(dir, "ssh_host_ed25519_key");
  await runOk("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKeyPath]);
  const hostPublicKey = (await fs.readFile(`${hostKeyPath}.pub`, "utf8")).trim().split(" ").slice(0, 2).join(" ");
  const clientKey = await generateSshKey(dir, "client_ed25519");
  const authorized = [clientKey.publicKey, ...(options.extraAuthorizedKeys ?? [])].join("\n") + "\n";
  await fs.writeFile(path.join(dir, "authorized_keys"), authorized, { mode: 0o600 });
  const port = await freePort();
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKeyPath}`,
    `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
    `PidFile ${path.join(dir, "sshd.pid")}`,
    "StrictModes no",
    "UsePAM no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "LogLevel ERROR",
    "",
  ].join("\n");
  const configPath = path.join(dir, "sshd_config");
  await fs.writeFile(configPath, config);
  const child: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(async () => child.exitCode === null && (await portAccepts(port)), 10_000, `sshd on port ${port}: ${log}`);
  } catch (error) {
    child.kill("SIGKILL");
    await removeDir(dir);
    throw error;
  }
  return {
    host: "127.0.0.1",
    port,
    user: os.userInfo().username,
    dir,
    hostPublicKey,
    clientKey,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await removeDir(dir);
    },
  };
}
