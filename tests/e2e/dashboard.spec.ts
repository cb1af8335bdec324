import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { fillRunForm, readRunFixture, submitRun } from "./run-fixture";
import { MANAGER, signIn } from "./support";

// The home page dashboard: tiles per period and verdict, the lists that need attention, and the
// wireframe's forms. Other specs leave runs in the same database, so counts are compared before
// and after this spec's own run rather than assumed.

// The detail lists (failing, missed, stale, recent failures, shrinking) appear only when they have rows;
// the health strip names them and links to them.
const SECTIONS = [
  "Health",
  "Run a Test Restoration on Backup",
  "Schedule Regular Restoration Test",
  "Scheduled Restores",
  "Runs by verdict",
  "Last 24 hours",
  "Last 7 days",
  "Last 30 days",
];

const failedTile = (page: Page, period: string) =>
  page.getByRole("region", { name: period }).getByRole("link", { name: new RegExp(`^\\d+ failed in the ${period.toLowerCase()}$`) });

async function figure(page: Page, period: string): Promise<number> {
  // A verdict no run had has no tile (no wall of zeros).
  if ((await failedTile(page, period).count()) === 0) return 0;
  const text = (await failedTile(page, period).textContent()) ?? "";
  const n = /^\s*(\d+)/.exec(text)?.[1];
  if (n === undefined) throw new Error(`no figure in the ${period} tile: ${text}`);
  return Number(n);
}

test.describe("dashboard", () => {
  test.describe.configure({ timeout: 120_000 });

  test("shows every section, counts a failed run started from its run link, lists it with its reason and links to Results", async ({
    page,
  }) => {
    const fixture = readRunFixture();
    await signIn(page, MANAGER.email, MANAGER.password);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    for (const name of SECTIONS) await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.getByRole("form", { name: "Schedule regular restoration test" })).toBeVisible();
    // The wireframe's run form is on the page too; its fields' ids do not collide with the schedule form's.
    const runForm = page.getByRole("form", { name: "Run a test restoration" });
    await expect(runForm.getByLabel("Backup file path")).toHaveAttribute("id", "run-field-backupPath");
    await expect(page.getByRole("form", { name: "Schedule regular restoration test" }).getByLabel("Backup file")).toHaveAttribute(
      "id",
      "field-backupPath",
    );
    const duplicateIds = await page.evaluate(() => {
      const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    });
    expect(duplicateIds).toEqual([]);
    const before = { day: await figure(page, "Last 24 hours"), month: await figure(page, "Last 30 days") };

    // A backup file that does not exist fails within seconds, with a reason.
    await page.getByRole("region", { name: "Run a Test Restoration on Backup" }).getByRole("link", { name: "Run a restore" }).click();
    await expect(page).toHaveURL(/\/runs\/new$/);
    await fillRunForm(page, fixture, { backupPath: fixture.missingPath, dbType: "mysql" });
    const runId = await submitRun(page);
    await expect(page.getByRole("region", { name: "Verdict" })).toContainText("Failed", { timeout: 50_000 });

    await page.goto("/");
    expect(await figure(page, "Last 24 hours")).toBe(before.day + 1);
    expect(await figure(page, "Last 30 days")).toBe(before.month + 1);
    // The health strip names the failure and links to its detail list.
    await expect(page.getByRole("region", { name: "Health" }).getByRole("link", { name: /^\d+ recent failures$/ })).toHaveAttribute(
      "href",
      "#recent-failures-heading",
    );
    const failures = page.getByRole("region", { name: "Recent failures" });
    const row = failures.getByRole("row").filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Failed");
    await expect(row).toContainText(fixture.missingPath);
    await expect(row.getByRole("cell").last()).not.toHaveText("—");

    // The tile opens the same runs on Results, filtered by verdict.
    await failedTile(page, "Last 24 hours").click();
    await expect(page).toHaveURL(/\/results\?.*status=failed/);
    await expect(page.locator(`a[href="/runs/${runId}"]`)).toBeVisible();
  });

  test.describe("in the browser's time zone", () => {
    test.use({ timezoneId: "America/New_York" });

    test("shows times and Results links in the zone the browser reports", async ({ page }) => {
      await signIn(page, MANAGER.email, MANAGER.password);
      await page.goto("/");
      await expect(page.getByText("Times are shown in America/New_York.")).toBeVisible();
      const totalTile = page.getByRole("region", { name: "Last 7 days" }).getByRole("link", { name: /^\d+ runs? in the last 7 days$/ });
      await expect(totalTile).toHaveAttribute("href", /tz=America%2FNew_York/);
    });
  });
});
