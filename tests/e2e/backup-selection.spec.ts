import { readFileSync } from "node:fs";
import { promises as fs } from "node:fs";
import path from "node:path";
import { expect, test } from "./checked-test";
import { fillRunForm, readRunFixture } from "./run-fixture";
import { fillSchedule } from "./schedule-fixture";
import { MANAGER, signIn } from "./support";

// Backup selection and freshness (issue 14) end to end: a schedule over a directory of rotating
// backups tests the newest one and passes; once the files age past the schedule's limit (a daily
// schedule: 26 h), its next run fails BACKUP_STALE, and the pages say so.

function emulatorAccess(): { url: string; user: string; token: string } {
  const port = Number(process.env.E2E_PORT ?? 3999);
  return JSON.parse(readFileSync(path.join(process.env.TMPDIR ?? "/tmp", `restore-drill-e2e-${port}-jenkins.json`), "utf8")) as {
    url: string;
    user: string;
    token: string;
  };
}

async function fireTimer(job: string): Promise<void> {
  const access = emulatorAccess();
  const res = await fetch(new URL(`emulator/job/${job}/fireTimer`, access.url), {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${access.user}:${access.token}`).toString("base64")}` },
  });
  expect(res.status).toBe(201);
}

test.describe.configure({ timeout: 300_000 });

test("a schedule over rotating backups passes on the newest file, then fails BACKUP_STALE once the files age", async ({ page }) => {
  const fixture = readRunFixture();
  await signIn(page, MANAGER.email, MANAGER.password);
  const name = `Ledger rotating ${Date.now() % 100000}`;
  const job = `restore-drill-schedule-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const newest = path.join(fixture.rotatingDir, "ledger-2026-12-02.sql");

  await page.goto("/");
  const form = await fillSchedule(page, fixture, { name, backupPath: fixture.rotatingDir, backupPattern: "ledger-*.sql" });
  // Test connection (issue 19 item 5): Jenkins finds the newest match before anything is saved.
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Connected" })).toContainText("ledger-2026-12-02.sql (newest of 2 matching)", {
    timeout: 60_000,
  });
  await form.getByRole("button", { name: "Schedule" }).click();
  await page.waitForURL(/\/schedules\/[a-z0-9]+$/);
  const schedulePage = page.url();

  // First run: the newest file is an hour old, within the daily default of 26 h.
  await fireTimer(job);
  const history = page.getByRole("table", { name: "Previous restores" });
  await expect(async () => {
    await page.reload();
    await expect(history.getByText("passed")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 150_000, intervals: [2000] });
  const age = page.getByRole("region", { name: "Backup age" });
  await expect(age).toContainText(newest);
  await expect(age).toContainText("limit 26.0 h");
  await expect(age).toContainText("2 matching");

  // The backup job "stops": the newest file is now 40 hours old, the other older still.
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  await fs.utimes(newest, hoursAgo(40), hoursAgo(40));
  await fs.utimes(path.join(fixture.rotatingDir, "ledger-2026-12-01.sql"), hoursAgo(90), hoursAgo(90));

  await fireTimer(job);
  await expect(async () => {
    await page.goto(schedulePage);
    await expect(history.getByText("failed")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 150_000, intervals: [2000] });
  await expect(history).toContainText("(stale)");
  await history.getByRole("link").first().click();
  await page.waitForURL(/\/runs\/[^/]+$/);
  await expect(page.getByText("BACKUP_STALE").first()).toBeVisible();
  const tested = page.getByRole("region", { name: "Backup tested" });
  await expect(tested).toContainText(newest);
  await expect(tested).toContainText("stale");
  await expect(tested).toContainText("still restores");
  await expect(page.getByText(/over the limit of 26 h; the old file itself restores/).first()).toBeVisible();

  // The dashboard lists it among stale and missing backups.
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Stale and missing backups" })).toContainText(name);
});

test("Test connection on the run form names a missing file beside the fields, and starts no run", async ({ page }) => {
  const fixture = readRunFixture();
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/");
  await fillRunForm(page, fixture, { backupPath: fixture.missingPath, dbType: "postgresql" });
  const form = page.getByRole("form", { name: "Run a test restoration" });
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByRole("status").filter({ hasText: "FILE_MISSING" })).toContainText(fixture.missingPath, { timeout: 60_000 });
  expect(page.url()).not.toMatch(/\/runs\//);
});
