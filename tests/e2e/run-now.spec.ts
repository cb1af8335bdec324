import { execFileSync } from "node:child_process";
import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { check } from "./page-check";
import { readRunFixture } from "./run-fixture";
import { fillSchedule } from "./schedule-fixture";
import { MANAGER, signIn } from "./support";

// "Run now" is idempotent per click (issue 19): the button sends a token made per click, so a resubmit of
// the same click starts ONE build and two deliberate clicks start TWO (RUN_NOW_CLICK keeps Jenkins' queue
// from merging them); the answer is "Started run #N of <job>" linking to the schedule's history, where the run shows up.

test.setTimeout(240_000);

/** Builds of a job, counted in the portal's database: runs the reconciler picked up, plus the audit of each start. */
function runNowStarts(scheduleName: string): number {
  const file = readRunFixture().databaseUrl.replace(/^file:/, "");
  const sql = `SELECT count(*) FROM AuditEvent WHERE action = 'schedule.run-now' AND outcome = 'success' AND details LIKE '%"job":"restore-drill-schedule-${scheduleName}"%'`;
  return Number(execFileSync("sqlite3", [file, sql]).toString().trim());
}

const started = (page: Page) => page.getByRole("form", { name: "Run now" }).getByRole("status");

test("a resubmitted click starts one run, two deliberate clicks start two, each answer links to its run", async ({ page }, testInfo) => {
  const fixture = readRunFixture();
  await signIn(page, MANAGER.email, MANAGER.password);
  const name = `Click drill ${Date.now() % 100000}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  await page.goto("/");
  const form = await fillSchedule(page, fixture, { name });
  await form.getByRole("button", { name: "Schedule" }).click();
  await page.waitForURL(/\/schedules\/[a-z0-9]+$/);
  const schedulePage = page.url();

  // One click submitted twice (a double submit the disabled button does not stop): one token, one run.
  await page.getByRole("form", { name: "Run now" }).evaluate((f: HTMLFormElement) => {
    f.requestSubmit();
    f.requestSubmit();
  });
  const job = `restore-drill-schedule-${slug}`;
  await expect(started(page)).toHaveText(`Started run #1 of ${job}.`, { timeout: 30_000 });
  const scheduleId = new URL(schedulePage).pathname.split("/").pop()!;
  await expect(started(page).getByRole("link")).toHaveAttribute("href", `/schedules/${scheduleId}#previous-restores`);
  await check(page, testInfo, "schedule page after Run now");
  expect(runNowStarts(slug)).toBe(1);

  // The run arrives in the history and ends there; the page refreshes itself.
  const history = page.getByRole("table", { name: "Previous restores" });
  await expect(history.getByText("passed")).toBeVisible({ timeout: 150_000 });
  await expect(history.locator("tbody tr")).toHaveCount(1);

  // Two deliberate clicks: two runs. The second waits in Jenkins' queue while the first runs.
  const button = page.getByRole("form", { name: "Run now" }).getByRole("button", { name: "Run now" });
  await button.click();
  await expect(started(page)).toHaveText(`Started run #2 of ${job}.`, { timeout: 30_000 });
  await button.click();
  await expect(started(page)).toHaveText(new RegExp(`^(Started run #3 of ${job}\\.|Queued in Jenkins.*)$`), { timeout: 30_000 });
  expect(runNowStarts(slug)).toBe(3);
  await expect(history.locator("tbody tr")).toHaveCount(3, { timeout: 200_000 });
});
