import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { fillRunForm, readRunFixture, setJenkins, submitRun, type RunFixture } from "./run-fixture";
import { check } from "./page-check";
import { MANAGER, signIn } from "./support";
import { SANDBOX_PROVIDER_LABELS, SANDBOX_PROVIDERS } from "../../lib/pipeline/sandbox-providers";

// Real restores through the portal: the built portal, the Jenkins emulator with the JJB jobs
// provisioned, a real sshd serving real dumps, real MariaDB/PostgreSQL sandboxes.
// tools/e2e-server.sh starts all of it and tests/e2e/fixtures/start-run-fixture.ts writes the
// facts read here (paths, port, key ids, table row counts).

test.setTimeout(180_000);
const RESTORE_TIMEOUT = { timeout: 150_000 };

let fixture: RunFixture;
test.beforeAll(() => {
  fixture = readRunFixture();
});

test.beforeEach(async ({ page }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
});

const verdict = (page: Page) => page.getByRole("region", { name: "Verdict" });
const stage = (page: Page, name: string) => page.getByRole("list", { name: "Stages" }).locator(`li[data-stage="${name}"]`);

/** Runs not yet finished, counted in the portal's database (SQLite file of the e2e server). */
function openRunCount(): number {
  const file = fixture.databaseUrl.replace(/^file:/, "");
  return Number(execFileSync("sqlite3", [file, "SELECT count(*) FROM RestoreRun WHERE status IN ('queued','running')"]).toString().trim());
}
function runCount(): number {
  const file = fixture.databaseUrl.replace(/^file:/, "");
  return Number(execFileSync("sqlite3", [file, "SELECT count(*) FROM RestoreRun"]).toString().trim());
}

async function expectTables(page: Page, tables: { name: string; rows: number }[]) {
  const table = page.getByRole("table", { name: "Restored tables" });
  for (const t of tables) {
    const row = table.getByRole("row").filter({ has: page.getByRole("cell", { name: new RegExp(`^(\\w+\\.)?${t.name}$`) }) });
    await expect(row.getByRole("cell").last()).toHaveText(t.rows.toLocaleString("en"));
  }
  const total = tables.reduce((n, t) => n + t.rows, 0);
  await expect(table.locator("tfoot")).toContainText(total.toLocaleString("en"));
  await expect(table.locator("tbody tr")).toHaveCount(tables.length);
}

test("an encrypted MariaDB dump restores through the portal: the stages advance, then it passes with the right row counts", async ({
  page,
}) => {
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, {
    backupPath: fixture.mariadbEncrypted.path,
    dbType: "mysql",
    gpgCredentialId: fixture.gpgCredentialId,
    backupHostKey: fixture.hostKey,
  });
  await submitRun(page);

  // Right after submitting the run is open and the page says so; the stages then advance live.
  await expect(verdict(page)).toContainText(/Waiting for Jenkins|Running/);
  await expect(page.getByRole("button", { name: "Stop restore" })).toBeVisible();
  await expect(stage(page, "deploy")).toContainText(/running|passed/, RESTORE_TIMEOUT);
  await expect(stage(page, "decrypt")).toContainText(/running|passed/, RESTORE_TIMEOUT);
  await expect(verdict(page)).toContainText("Passed", RESTORE_TIMEOUT);
  for (const name of ["deploy", "decrypt", "restore", "verify", "destroy"]) await expect(stage(page, name)).toContainText("passed");
  await expect(page.getByRole("button", { name: "Stop restore" })).toHaveCount(0);

  await expectTables(page, fixture.mariadbEncrypted.tables);
  await expect(page.getByText(/Backup SHA-256/)).toBeVisible();
  await expect(page.getByRole("link", { name: /restore-drill-pipeline-gpg #\d+/ })).toHaveAttribute(
    "href",
    /\/job\/restore-drill-pipeline-gpg\/\d+\/?$/,
  );
  await expect(page.getByLabel("Console output", { exact: true })).toContainText("report: passed OK");
  await expect(page.getByTestId("console-connection")).toHaveText("complete");
});

test("a plain PostgreSQL dump restores and passes with its tables and row counts", async ({ page }) => {
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, { backupPath: fixture.postgres.path, dbType: "postgresql" });
  await submitRun(page);
  await expect(verdict(page)).toContainText("Passed", RESTORE_TIMEOUT);
  await expectTables(page, fixture.postgres.tables);
  await expect(page.getByRole("link", { name: /restore-drill-pipeline #\d+/ })).toBeVisible();
});

test("a backup file that does not exist fails at decrypt with 'No such file'", async ({ page }, testInfo) => {
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, { backupPath: fixture.missingPath, dbType: "mysql", gpgCredentialId: fixture.gpgCredentialId });
  await submitRun(page);
  await expect(verdict(page)).toContainText("Failed", RESTORE_TIMEOUT);
  await expect(verdict(page)).toContainText(/decrypt/);
  await expect(verdict(page)).toContainText("No such file");
  await expect(stage(page, "decrypt")).toContainText("failed");
  await expect(stage(page, "destroy")).toContainText("passed");
  await expect(page.getByRole("table", { name: "Restored tables" })).toHaveCount(0);
  // The decrypt build's own console (ssh's error), through the portal: no Jenkins account needed.
  const decryptLog = page.getByTestId("stage-log-decrypt");
  await decryptLog.locator("summary").click();
  await expect(decryptLog.locator("summary")).toContainText(/build #\d+/);
  await expect(decryptLog.locator("pre")).toContainText("No such file");
  await expect(decryptLog.locator("pre")).not.toContainText("PRIVATE KEY");
  const deployLog = page.getByTestId("stage-log-deploy");
  await deployLog.locator("summary").click();
  await expect(deployLog.locator("pre")).toHaveText("This stage did not run.");
  const destroyLog = page.getByTestId("stage-log-destroy");
  await destroyLog.locator("summary").click();
  await expect(destroyLog.locator("summary")).toContainText(/build #\d+/);
  await expect(destroyLog.locator("pre")).not.toHaveText(/^(Waiting for output…|\(no console output\))$/);
  for (const size of [
    { name: "desktop", width: 1366, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    await check(page, testInfo, `${size.name} run failed, stage logs open`);
  }
});

const portalLog = () => readFileSync(path.join(path.dirname(fixture.databaseUrl.replace(/^file:/, "")), "portal.log"), "utf8");

test("Stop on a running restore ends it aborted, and the sandbox is gone", async ({ page, context }) => {
  await page.goto("/runs/new");
  // The FIFO never delivers a byte: the restore waits in decrypt, before any sandbox starts (decrypt runs first).
  await fillRunForm(page, fixture, { backupPath: fixture.stalledPath, dbType: "mysql" });
  await submitRun(page);
  await expect(stage(page, "decrypt")).toContainText("running", RESTORE_TIMEOUT);
  const build = Number((await page.getByRole("link", { name: /restore-drill-pipeline #\d+/ }).textContent())?.split("#")[1]);
  const runDir = path.join(fixture.emulatorWorkspace, "restore-drill-pipeline", `restore-run-${build}`);
  expect(existsSync(path.join(runDir, "sandbox")), `no sandbox under ${runDir} while decrypt waits`).toBe(false);

  // Readers of the live feed come and go while it streams: the portal logs no error for any of them.
  const logBefore = portalLog().length;
  for (let i = 0; i < 3; i++) {
    const reader = await context.newPage();
    await reader.goto(page.url());
    await expect(stage(reader, "decrypt")).toContainText("running");
    await reader.close();
  }
  await page.reload();
  await expect(stage(page, "decrypt")).toContainText("running");
  expect(portalLog().slice(logBefore)).not.toMatch(/aborted|uncaught|unhandled|⨯/i);

  await page.getByRole("button", { name: "Stop restore" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Stop this restore?");
  await dialog.getByRole("button", { name: "Stop", exact: true }).click();

  await expect(verdict(page)).toContainText("Aborted", RESTORE_TIMEOUT);
  await expect(stage(page, "destroy")).toContainText("passed");
  expect(existsSync(runDir), `${runDir} removed by destroy`).toBe(false);
  expect(processesMentioning(runDir), "no process left running in the sandbox").toEqual([]);
  expect(openRunCount()).toBe(0);
});

test("with Jenkins down the form says so plainly, and a submit creates no run that stays open", async ({ page }) => {
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, {
    backupPath: fixture.mariadbEncrypted.path,
    dbType: "mysql",
    gpgCredentialId: fixture.gpgCredentialId,
  });
  const before = runCount();
  try {
    await setJenkins(fixture, "down");
    // Jenkins went away between opening the form and submitting it.
    await page.getByRole("button", { name: "Run restore" }).click();
    await expect(page.locator("form").getByRole("alert").first()).toContainText(/Jenkins/);
    await expect(page).toHaveURL(/\/runs\/new$/);
    expect(openRunCount()).toBe(0);
    expect(runCount() - before).toBeLessThanOrEqual(1); // at most one, recorded as failed-to-start

    // Opening the form while Jenkins is down: a notice first, the form not submittable.
    await page.goto("/runs/new");
    await expect(page.getByRole("alert").filter({ hasText: "No restore can start now" })).toContainText(/unreachable/);
    await expect(page.getByRole("button", { name: "Run restore" })).toBeDisabled();
  } finally {
    await setJenkins(fixture, "up");
  }
  await page.goto("/runs/new");
  await expect(page.getByRole("button", { name: "Run restore" })).toBeEnabled();
});

test("hostile values get a message on their field and nothing is created", async ({ page }) => {
  await page.goto("/runs/new");
  const before = runCount();
  await fillRunForm(page, fixture, {
    backupHost: "db1.example.com; touch /tmp/rd-pwned",
    backupPort: "70000",
    backupPath: "/srv/backups/$(touch /tmp/rd-pwned).sql",
    dbType: "mysql",
    backupHostKey: "ssh-ed25519 `touch /tmp/rd-pwned`",
    notifyEmail: 'ops@example.com"; rm -rf / #',
  });
  await page.getByRole("button", { name: "Run restore" }).click();
  const form = page.getByRole("form", { name: "Run a test restoration" });
  await expect(form.locator("#field-backupHost-error")).toContainText("Enter a host name");
  await expect(form.locator("#field-backupPort-error")).toContainText("1 to 65535");
  await expect(form.locator("#field-backupPath-error")).toContainText("Paths may use");
  await expect(form.locator("#field-backupHostKey-error")).toContainText("ssh-keyscan");
  await expect(form.locator("#field-notifyEmail-error")).toContainText("email addresses");
  await expect(form.getByLabel("Backup file path")).toHaveValue("/srv/backups/$(touch /tmp/rd-pwned).sql");

  // A very long value is cut by the field (the server refuses it too) and still refused; a relative path too.
  await form.getByLabel("Backup host", { exact: true }).fill("a".repeat(300));
  await form.getByLabel("Backup file path").fill("backups/x.sql");
  await page.getByRole("button", { name: "Run restore" }).click();
  expect((await form.getByLabel("Backup host", { exact: true }).inputValue()).length).toBeLessThanOrEqual(253);
  await expect(form.locator("#field-backupHost-error")).toContainText("Enter a host name");
  await expect(form.locator("#field-backupPath-error")).toContainText("absolute path");
  await expect(page).toHaveURL(/\/runs\/new$/);
  expect(runCount()).toBe(before);
  expect(existsSync("/tmp/rd-pwned")).toBe(false);
});

test("the key pickers offer what Jenkins holds, with descriptions and fingerprints", async ({ page }) => {
  await page.goto("/runs/new");
  await expect(page.getByLabel("SSH key").locator("option", { hasText: fixture.sshCredentialId })).toContainText(
    /Demo backup host.*SHA256:/,
  );
  const gpg = page.getByLabel("GPG key").locator("option");
  await expect(gpg.first()).toHaveText("None — the backup is not encrypted");
  await expect(gpg.filter({ hasText: fixture.gpgCredentialId })).toContainText(/[0-9A-Fa-f]{40}/);
  // The providers the pipeline can deploy are offered (lib/pipeline/sandbox-providers.ts), local first: the
  // provisioned pipeline job's SANDBOX_PROVIDER choice holds both (read from its parameter definitions,
  // lib/pipeline/read-sandbox-options.ts), and it takes the image and the version match too.
  await expect(page.getByLabel("Sandbox").locator("option")).toHaveText(SANDBOX_PROVIDERS.map((p) => SANDBOX_PROVIDER_LABELS[p]));
  await expect(page.getByLabel("Sandbox")).toHaveValue("local");
  await expect(page.getByLabel("Container image (optional)")).toHaveValue("");
  await expect(page.getByLabel("Match the backup's engine version")).not.toBeChecked();
});

function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`).toString().replace(/\0/g, " ").includes(text)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
