import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter } from "@/lib/jenkins";
import type { Db } from "@/lib/db/client";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import {
  createGpgHome,
  generateGpgKey,
  generateSshKeyPair,
  makeTempDir,
  type GpgHome,
  type GpgTestKey,
  type SshKeyPair,
} from "@/tests/support/keys";

// An emulator with a fresh admin token, adapters for it, and throw-away keys.

export const SSH_PASSPHRASE = `ssh-${randomBytes(6).toString("hex")}`;
export const GPG_PASSPHRASE = `gpg-${randomBytes(6).toString("hex")}`;

export interface KeyFixture {
  dir: string;
  home: GpgHome;
  sshPlain: SshKeyPair;
  sshEncrypted: SshKeyPair;
  gpgPlain: GpgTestKey;
  gpgProtected: GpgTestKey;
  cleanup(): Promise<void>;
}

export async function makeKeys(): Promise<KeyFixture> {
  const dir = await makeTempDir("credentials-it");
  const home = await createGpgHome();
  const [sshPlain, sshEncrypted] = await Promise.all([
    generateSshKeyPair({ type: "ed25519", dir }),
    generateSshKeyPair({ type: "ecdsa", bits: 384, format: "pem", passphrase: SSH_PASSPHRASE, dir }),
  ]);
  const gpgPlain = await generateGpgKey(home);
  const gpgProtected = await generateGpgKey(home, { passphrase: GPG_PASSPHRASE, expiresIn: "2y" });
  return {
    dir,
    home,
    sshPlain,
    sshEncrypted,
    gpgPlain,
    gpgProtected,
    cleanup: async () => {
      await home.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface JenkinsFixture {
  emulator: TestEmulator;
  jenkins: JenkinsAdapter;
  /** An adapter to a port nothing listens on. */
  down: JenkinsAdapter;
  /** The emulator with a wrong token. */
  badToken: JenkinsAdapter;
}

export async function startJenkins(): Promise<JenkinsFixture> {
  const emulator = await startTestEmulator();
  const adapter = (url: string, apiToken: string) =>
    createJenkinsAdapter(
      jenkinsConfig({ url, credentials: { user: emulator.admin.id, apiToken }, timeoutMs: 3000, retries: 0, retryDelayMs: 10 }),
    );
  // Port 9 (discard) on loopback: nothing listens there on a test machine, so connections are refused.
  return {
    emulator,
    jenkins: adapter(emulator.url, emulator.admin.token),
    down: adapter("http://127.0.0.1:9/", "x"),
    badToken: adapter(emulator.url, "wrong-token"),
  };
}

let scheduleCounter = 0;

/** A schedule row as the schedule pages will write it; only what the Credentials pages read matters here. */
export async function insertSchedule(db: Db, name: string, keys: { sshCredentialId: string; gpgCredentialId?: string }) {
  scheduleCounter += 1;
  return db.schedule.create({
    data: {
      name,
      jobName: `restore-drill-schedule-test-${process.pid}-${scheduleCounter}-${randomBytes(3).toString("hex")}`,
      ownerEmail: "owner@example.com",
      parameters: JSON.stringify({
        backupHost: "db1.example.com",
        backupPort: 22,
        backupPath: "/backups/db.sql.gz",
        backupHostKey: "",
        dbType: "mysql",
        sshCredentialId: keys.sshCredentialId,
        gpgCredentialId: keys.gpgCredentialId ?? "",
        sandboxProvider: "local",
        notifyEmail: "",
      }),
      frequency: "daily",
      time: "03:00",
      timeZone: "UTC",
      notifyEmails: "",
      createdByEmail: "owner@example.com",
      updatedByEmail: "owner@example.com",
    },
  });
}
