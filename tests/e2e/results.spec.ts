import { expect, test } from "./checked-test";
import { createDb } from "../../lib/db/client";
import { readRunFixture } from "./run-fixture";
import { MANAGER, signIn } from "./support";

// The results filters in a browser whose time zone is New York, over runs written straight into
// the e2e server's database on a backup host of this test's own. Days are New York days (EDT,
// UTC−4, from 2025-03-09), both ends included:
//   2025-03-09 23:59:59 local  (03:59:59Z on the 10th)  — before the range
//   2025-03-10 00:00:00 local  (04:00:00Z)              — first instant of the range: passed
//   2025-03-11 12:00:00 local  (16:00:00Z)              — failed
//   2025-03-12 23:59:59 local  (03:59:59Z on the 13th)  — last instant of the range: passed
//   2025-03-13 00:00:00 local  (04:00:00Z on the 13th)  — after the range

test.use({ timezoneId: "America/New_York" });

const HOST = `results-e2e-${Date.now() % 1_000_000}.example.test`;
const RUNS: [string, string][] = [
  ["2025-03-10T03:59:59.000Z", "passed"],
  ["2025-03-10T04:00:00.000Z", "passed"],
  ["2025-03-11T16:00:00.000Z", "failed"],
  ["2025-03-13T03:59:59.000Z", "passed"],
  ["2025-03-13T04:00:00.000Z", "failed"],
];

test.beforeAll(async () => {
  const db = createDb(readRunFixture().databaseUrl);
  try {
    for (const [i, [at, status]] of RUNS.entries()) {
      await db.restoreRun.create({
        data: {
          createdAt: new Date(at),
          source: "portal",
          startedByEmail: MANAGER.email,
          parameters: "{}",
          backupHost: HOST,
          backupPath: `/backups/run-${i}.sql.gz`,
          dbType: "postgresql",
          jobName: `restore-drill-results-e2e-${HOST}`,
          buildNumber: i + 1,
          status,
          reasonCode: status === "failed" ? "RESTORE_FAILED" : null,
          durationMs: 42_000,
        },
      });
    }
  } finally {
    await db.$disconnect();
  }
});

test.beforeEach(async ({ page }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
});

test("the date range includes both whole days in the browser's time zone, and the verdict narrows it", async ({ page }) => {
  await page.goto("/results");
  const filters = page.getByRole("form", { name: "Filter results" });
  await filters.getByLabel("Backup host").fill(HOST);
  await filters.getByLabel("From").fill("2025-03-10");
  await filters.getByLabel("To").fill("2025-03-12");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/tz=America%2FNew_York/);

  const rows = page.getByRole("table", { name: "Restore runs" }).locator("tbody tr");
  await expect(rows).toHaveCount(3);
  // Newest first, shown in New York time: the last and first instants of the range are in.
  await expect(rows.nth(0)).toContainText("2025-03-12 23:59");
  await expect(rows.nth(1)).toContainText("2025-03-11 12:00");
  await expect(rows.nth(2)).toContainText("2025-03-10 00:00");

  await page.getByRole("form", { name: "Filter results" }).getByLabel("Verdict").selectOption("failed");
  await page.getByRole("form", { name: "Filter results" }).getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("RESTORE_FAILED");

  // The export carries the same filters: one data row, the failed run of the 11th.
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await (await page.request.get(href!)).text();
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("2025-03-11T16:00:00.000Z");
  expect(lines[1]).toContain(HOST);
});

test("an end date before the start date is explained on the page, not answered with an error", async ({ page }) => {
  const url = `/results?host=${HOST}&from=2025-03-12&to=2025-03-10&tz=America/New_York`;
  // Asked with the page's own session but outside the page: goto() may answer null when the
  // navigation commits without a fresh main-document response.
  expect((await page.request.get(url)).status()).toBe(200);
  await page.goto(url);
  await expect(page.getByRole("alert").first()).toContainText(/end|before|after/i);
  await expect(page.getByRole("table", { name: "Restore runs" })).toHaveCount(0);
  await expect(page.getByText("Fix the filters above to see runs.")).toBeVisible();
});

test("a filter that matches nothing says so", async ({ page }) => {
  await page.goto(`/results?host=${HOST}&from=2024-01-01&to=2024-01-02&tz=America/New_York`);
  await expect(page.getByText("No runs match these filters.")).toBeVisible();
});
