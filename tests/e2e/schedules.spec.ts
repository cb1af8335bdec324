import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./checked-test";
import { readRunFixture } from "./run-fixture";
import { fillSchedule } from "./schedule-fixture";
import { MANAGER, signIn } from "./support";

// Schedules end to end: the home page form creates a Jenkins job with the right timer, its
// timer's run (a real restore) arrives in the schedule's history, modify/pause/delete follow
// in Jenkins, and bad input is refused on the field with nothing written anywhere.

interface EmulatorAccess {
  url: string;
  user: string;
  token: string;
}

/** Written by tools/e2e-server.sh for this run (0600, removed on exit). */
function emulatorAccess(): EmulatorAccess {
  const port = Number(process.env.E2E_PORT ?? 3999);
  return JSON.parse(
    readFileSync(path.join(process.env.TMPDIR ?? "/tmp", `restore-drill-e2e-${port}-jenkins.json`), "utf8"),
  ) as EmulatorAccess;
}

async function jenkins(pathname: string, method: "GET" | "POST" = "GET"): Promise<Response> {
  const access = emulatorAccess();
  return fetch(new URL(pathname, access.url), {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${access.user}:${access.token}`).toString("base64")}` },
    redirect: "manual",
  });
}

const specOf = async (job: string) => /<spec>([\s\S]*?)<\/spec>/.exec(await (await jenkins(`job/${job}/config.xml`)).text())?.[1];

test.describe("schedules", () => {
  test.describe.configure({ timeout: 180_000 });

  test("create → job with the timer → timer run in the history → modify → pause → delete keeps the history", async ({ page }) => {
    const fixture = readRunFixture();
    await signIn(page, MANAGER.email, MANAGER.password);
    const name = `Ledger nightly ${Date.now() % 100000}`;
    const job = `restore-drill-schedule-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Schedule Regular Restoration Test" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Scheduled Restores" })).toBeVisible();
    const form = await fillSchedule(page, fixture, { name, time: "03:00", timeZone: "UTC" });
    await form.getByRole("button", { name: "Schedule" }).click();
    await page.waitForURL(/\/schedules\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    expect(await specOf(job)).toBe("TZ=UTC\n0 3 * * *");

    // Jenkins' timer fires (emulator endpoint): the run arrives by itself, through the reconciler.
    expect((await jenkins(`emulator/job/${job}/fireTimer`, "POST")).status).toBe(201);
    const history = page.getByRole("table", { name: "Previous restores" });
    await expect(async () => {
      await page.reload();
      await expect(history.getByText("passed")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 150_000, intervals: [2000] });
    await expect(history.getByRole("link", { name: /build #\d+/ })).toHaveAttribute("href", /job\/restore-drill-pipeline\/\d+\/$/);
    const runHref = await history.getByRole("link").first().getAttribute("href");

    // The home page table shows it with its last run and next run.
    await page.goto("/");
    const row = page.getByRole("table", { name: "Scheduled restores" }).getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Yes");
    await expect(row).toContainText("03:00 (UTC)");
    await row.getByRole("link", { name }).click();

    await page.getByRole("link", { name: "Modify" }).click();
    await page.getByLabel("Time", { exact: true }).fill("04:15");
    await page.getByRole("button", { name: "Save schedule" }).click();
    await page.waitForURL(/\/schedules\/[a-z0-9]+$/);
    expect(await specOf(job)).toBe("TZ=UTC\n15 4 * * *");

    await page.getByRole("button", { name: "Stop scheduling" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Scheduling stopped" })).toBeVisible();
    expect(((await (await jenkins(`job/${job}/api/json?tree=disabled`)).json()) as { disabled: boolean }).disabled).toBe(true);

    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete schedule" }).click();
    await page.waitForURL(/\/schedules$/);
    expect((await jenkins(`job/${job}/api/json`)).status).toBe(404);
    await page.goto(runHref!);
    await expect(page.getByText(/passed/i).first()).toBeVisible();
  });

  test("bad input is refused on its field, and nothing is written in the portal or Jenkins", async ({ page }) => {
    const fixture = readRunFixture();
    await signIn(page, MANAGER.email, MANAGER.password);
    await page.goto("/schedules");
    const existing = `Existing ${Date.now() % 100000}`;
    let form = await fillSchedule(page, fixture, { name: existing });
    await form.getByRole("button", { name: "Schedule" }).click();
    await page.waitForURL(/\/schedules\/[a-z0-9]+$/);

    const scheduleJobs = async () =>
      ((await (await jenkins("api/json?tree=jobs[name]")).json()) as { jobs: { name: string }[] }).jobs
        .map((j) => j.name)
        .filter((n) => n.startsWith("restore-drill-schedule-"))
        .sort();
    const jobsBefore = await scheduleJobs();
    const cases: { values: Parameters<typeof fillSchedule>[2]; field: string; message: RegExp }[] = [
      { values: { name: "Bad time", time: "25:00" }, field: "Time", message: /Enter a time as HH:MM/ },
      { values: { name: "Bad day", frequency: "monthly", dayOfMonth: "31" }, field: "Day of the month", message: /days 1 to 28/ },
      { values: { name: "Bad zone", timeZone: "Mars/Olympus" }, field: "Time zone", message: /Unknown time zone/ },
      { values: { name: existing.toUpperCase() }, field: "Schedule name", message: /already exists/ },
      { values: { name: "No recipients", notify: true, notifyEmail: "" }, field: "Notify by e-mail", message: /at least one address/ },
      // Data checks (issue 14): anything but one SELECT is refused next to its field.
      {
        values: { name: "Two statements", freshnessQuery: "SELECT max(created_at) FROM orders;\nDELETE FROM orders" },
        field: "Freshness query (optional)",
        message: /One statement only/,
      },
      {
        values: { name: "Update query", freshnessQuery: "UPDATE orders SET total = 0" },
        field: "Freshness query (optional)",
        message: /must be one SELECT/,
      },
      {
        values: { name: "Bad assertion", assertions: "orders >= lots" },
        field: "Data assertions (optional)",
        message: /is not an assertion/,
      },
    ];
    for (const c of cases) {
      await page.goto("/schedules");
      form = await fillSchedule(page, fixture, c.values);
      await form.getByRole("button", { name: "Schedule" }).click();
      await expect(form.getByLabel(c.field, { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expect(form.getByRole("alert").filter({ hasText: c.message }).first()).toBeVisible();
      expect(page.url()).toMatch(/\/schedules$/);
      expect(await scheduleJobs()).toEqual(jobsBefore);
    }
    await page.goto("/schedules");
    const table = page.getByRole("table", { name: "Scheduled restores" });
    for (const name of ["Bad time", "Bad day", "Bad zone", "No recipients", "Two statements", "Update query", "Bad assertion"])
      await expect(table.getByRole("link", { name })).toHaveCount(0);
    await expect(table.getByRole("link", { name: existing })).toHaveCount(1);
  });
});
