import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import path from "node:path";

/** Facts about the backups and servers tools/e2e-server.sh started (tests/e2e/fixtures/start-run-fixture.ts). */
export interface RunFixture {
  backupHost: string;
  backupPort: number;
  hostKey: string;
  sshCredentialId: string;
  gpgCredentialId: string;
  mariadbEncrypted: { path: string; tables: { name: string; rows: number }[] };
  postgres: { path: string; tables: { name: string; rows: number }[] };
  /** A FIFO: a restore of it waits in decrypt until stopped. */
  stalledPath: string;
  missingPath: string;
  /** A directory of rotating PostgreSQL backups ledger-YYYY-MM-DD.sql (backup selection, issue 14). */
  rotatingDir: string;
  jenkinsGate: { url: string; controlUrl: string };
  emulatorWorkspace: string;
  databaseUrl: string;
}

/** Where e2e-server.sh writes the facts: E2E_FIXTURE_FILE, else a fixed name under the OS temp dir for the port. */
export function fixtureFile(port = Number(process.env.E2E_PORT ?? 3999)): string {
  return process.env.E2E_FIXTURE_FILE ?? path.join(process.env.TMPDIR ?? "/tmp", `restore-drill-e2e-${port}.json`);
}

export function readRunFixture(): RunFixture {
  return JSON.parse(readFileSync(fixtureFile(), "utf8")) as RunFixture;
}

/** Switches the gate between the portal and Jenkins: down cuts and refuses every connection. */
export async function setJenkins(fixture: RunFixture, state: "up" | "down"): Promise<void> {
  const res = await fetch(`${fixture.jenkinsGate.controlUrl}/${state}`, { method: "POST" });
  if (res.status !== 204) throw new Error(`Jenkins gate answered ${res.status}`);
}

export interface RunFormValues {
  backupHost?: string;
  backupPort?: string;
  backupPath: string;
  dbType: "mysql" | "postgresql" | "sqlite";
  sshCredentialId?: string;
  gpgCredentialId?: string;
  backupHostKey?: string;
  notifyEmail?: string;
}

/** Fills the Run a Test Restoration form (already open) with the fixture's host and key by default. */
export async function fillRunForm(page: Page, fixture: RunFixture, values: RunFormValues): Promise<void> {
  const form = page.getByRole("form", { name: "Run a test restoration" });
  await form.getByLabel("Backup host", { exact: true }).fill(values.backupHost ?? fixture.backupHost);
  await form.getByLabel("SSH port").fill(values.backupPort ?? String(fixture.backupPort));
  await form.getByLabel("Backup file path").fill(values.backupPath);
  await form.getByLabel("Database type").selectOption(values.dbType);
  await form.getByLabel("SSH key").selectOption(values.sshCredentialId ?? fixture.sshCredentialId);
  await form.getByLabel("GPG key").selectOption(values.gpgCredentialId ?? "");
  await form.getByLabel(/host key/).fill(values.backupHostKey ?? "");
  await form.getByLabel(/Notify/).fill(values.notifyEmail ?? "");
}

/** Submits the filled form and waits for the run page; returns the run id. */
export async function submitRun(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Run restore" }).click();
  await page.waitForURL(/\/runs\/(?!new)[^/]+$/);
  // The URL changes as the client navigation starts: wait for the run page itself (its loading
  // state, which has no title yet, was once what the next check saw).
  await expect(page.getByText("Loading the run…")).toHaveCount(0);
  await expect(page).toHaveTitle(/^Restore run · /);
  return new URL(page.url()).pathname.split("/").pop() as string;
}
