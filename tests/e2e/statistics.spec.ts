import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { createDb } from "../../lib/db/client";
import { readRunFixture } from "./run-fixture";
import { MANAGER, signIn } from "./support";

// The statistics page over runs written straight into the e2e server's database, on days in
// 2025 no other browser test touches, under a schedule of this test's own. Counted by hand:
//   2025-02-03: passed, passed, failed          (Alpha)
//   2025-02-04: could-not-verify, aborted       (Alpha), passed (by hand)
//   2025-02-05: passed                          (Beta)
// All three days, all runs: 7 runs, passed 4, failed 1, cnv 1, aborted 1 → rate 4/6 = 66.7 %.
// Alpha alone: 5 runs, passed 2, failed 1, cnv 1, aborted 1 → rate 2/4 = 50.0 %.

const SUFFIX = `${Date.now() % 1_000_000}`;
const RANGE = "from=2025-02-03&to=2025-02-05&tz=UTC";
let alphaId = "";

test.beforeAll(async () => {
  const db = createDb(readRunFixture().databaseUrl);
  try {
    const schedule = (name: string) =>
      db.schedule.create({
        data: {
          name,
          jobName: `restore-drill-schedule-stats-${name.toLowerCase().replace(/\s+/g, "-")}`,
          ownerEmail: MANAGER.email,
          parameters: "{}",
          frequency: "daily",
          time: "03:00",
          timeZone: "UTC",
          notifyEmails: "",
          createdByEmail: MANAGER.email,
          updatedByEmail: MANAGER.email,
        },
        select: { id: true },
      });
    alphaId = (await schedule(`Stats Alpha ${SUFFIX}`)).id;
    const betaId = (await schedule(`Stats Beta ${SUFFIX}`)).id;
    const runs: [string, string, string | null, number][] = [
      ["2025-02-03T08:00:00Z", "passed", alphaId, 60_000],
      ["2025-02-03T12:00:00Z", "passed", alphaId, 80_000],
      ["2025-02-03T20:00:00Z", "failed", alphaId, 30_000],
      ["2025-02-04T08:00:00Z", "could-not-verify", alphaId, 40_000],
      ["2025-02-04T09:00:00Z", "aborted", alphaId, 5_000],
      ["2025-02-04T10:00:00Z", "passed", null, 70_000],
      ["2025-02-05T08:00:00Z", "passed", betaId, 90_000],
    ];
    for (const [i, [at, status, scheduleId, durationMs]] of runs.entries()) {
      await db.restoreRun.create({
        data: {
          createdAt: new Date(at),
          source: scheduleId ? "schedule" : "portal",
          parameters: "{}",
          backupHost: "db1.example.test",
          backupPath: "/backups/app.sql.gz",
          dbType: "mysql",
          jobName: `restore-drill-stats-e2e-${SUFFIX}`,
          buildNumber: i + 1,
          status,
          scheduleId,
          durationMs,
          backupBytes: status === "passed" ? BigInt(1_048_576 * (i + 1)) : null,
          totalRows: status === "passed" ? BigInt(1000 * (i + 1)) : null,
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

const tile = (page: Page, label: string) =>
  page
    .getByRole("region", { name: "Totals" })
    .locator("dl > div")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .locator("dd");

test("the tiles, tables and charts carry the hand-counted numbers, and the schedule filter narrows them", async ({ page }) => {
  await page.goto(`/statistics?${RANGE}`);
  await expect(tile(page, "Runs")).toHaveText("7");
  await expect(tile(page, "Passed")).toHaveText("4");
  await expect(tile(page, "Failed")).toHaveText("1");
  await expect(tile(page, "Could not verify")).toHaveText("1");
  await expect(tile(page, "Aborted")).toHaveText("1");
  await expect(tile(page, "Success rate")).toHaveText("66.7 %");

  // The verdicts chart draws, and its text table (inside <details>) has the same numbers per day.
  const verdicts = page.getByRole("figure", { name: "Verdicts per day" });
  await expect(verdicts.getByRole("img", { name: /^Verdicts per day from/ })).toHaveAttribute(
    "aria-label",
    /4 passed, 1 failed, 1 could not verify, 1 other/,
  );
  await expect(verdicts.locator("svg.recharts-surface").first()).toBeVisible();
  await verdicts.getByText("Verdicts per day as a table").click();
  const perDay = verdicts.getByRole("table", { name: "Verdicts per day" });
  await expect(perDay.getByRole("row", { name: /^2025-02-03/ })).toHaveText(/2025-02-03\s*3\s*2\s*1\s*0\s*0\s*66\.7 %/);
  await expect(perDay.getByRole("row", { name: /^2025-02-04/ })).toHaveText(/2025-02-04\s*3\s*1\s*0\s*1\s*1\s*50\.0 %/);
  await expect(perDay.getByRole("row", { name: /^2025-02-05/ })).toHaveText(/2025-02-05\s*1\s*1\s*0\s*0\s*0\s*100\.0 %/);

  const duration = page.getByRole("figure", { name: /Restore duration per schedule/ });
  await expect(duration.locator("svg.recharts-surface").first()).toBeVisible();
  await duration.getByText("Restore duration per schedule as a table").click();
  await expect(duration.getByRole("table").getByRole("row")).toHaveCount(1 + 5); // Alpha's four verdicts and Beta's one

  await expect(
    page.getByRole("table", { name: "Per schedule" }).getByRole("row", { name: new RegExp(`Stats Alpha ${SUFFIX}`) }),
  ).toContainText("50.0 %");

  // Choosing the schedule in the form narrows every number to it.
  await page.getByLabel("Schedule", { exact: true }).selectOption(alphaId);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`schedule=${alphaId}`));
  await expect(tile(page, "Runs")).toHaveText("5");
  await expect(tile(page, "Passed")).toHaveText("2");
  await expect(tile(page, "Success rate")).toHaveText("50.0 %");
});

test("bad filters get a message next to the field, never an error page", async ({ page }) => {
  const cases: [string, string][] = [
    ["from=2025-02-05&to=2025-02-03", "The end date is before the start date."],
    ["from=2025-02-30", "Enter a date as YYYY-MM-DD."],
    ["schedule=cmnosuchschedule", "That schedule does not exist (any more): choose one from the list."],
    ["schedule=DROP%20TABLE", "Choose a schedule from the list."],
  ];
  for (const [query, message] of cases) {
    const response = await page.goto(`/statistics?${query}`);
    expect(response?.status(), query).toBe(200);
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByText("Fix the filters above to see statistics.")).toBeVisible();
  }
});

test("a range without runs says so", async ({ page }) => {
  await page.goto("/statistics?from=2024-01-01&to=2024-01-02&tz=UTC");
  await expect(page.getByRole("status").filter({ hasText: "No runs between" })).toHaveText("No runs between 2024-01-01 and 2024-01-02.");
});
