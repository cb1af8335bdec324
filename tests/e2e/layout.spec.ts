import { expect, test } from "./checked-test";
import { check } from "./page-check";
import { MANAGER, signIn } from "./support";

// Every page at a laptop and a phone width: no horizontal scroll (the document is never wider than
// the viewport), axe finds no violation of any impact, and a full-page screenshot of each is kept
// in test-results/ as an artifact. Detail pages are reached through the first link of their list.

const WIDTHS = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

const PAGES = [
  "/",
  "/runs/new",
  "/schedules",
  "/results",
  "/statistics",
  "/credentials",
  "/users",
  "/audit",
  "/account",
  "/account/password",
  "/docs/api",
];

/** Detail pages: the first matching link on a list page, when the database has one. */
const DETAILS = [
  { list: "/users", link: 'main a[href^="/users/c"]' },
  { list: "/schedules", link: 'main a[href^="/schedules/c"]:not([href$="/edit"])' },
  { list: "/results", link: 'main a[href^="/runs/c"]' },
];

for (const size of WIDTHS) {
  test.describe(`at ${size.width} px`, () => {
    test.describe.configure({ timeout: 240_000 });

    test("sign-in page fits, passes axe and has a main landmark", async ({ page }, testInfo) => {
      await page.setViewportSize(size);
      await page.goto("/signin");
      await expect(page.getByRole("main")).toBeVisible();
      await check(page, testInfo, `${size.name} signin`);
    });

    test("every portal page fits the width, passes axe and is screenshotted", async ({ page }, testInfo) => {
      await signIn(page, MANAGER.email, MANAGER.password);
      await page.setViewportSize(size);
      for (const path of PAGES) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await check(page, testInfo, `${size.name} ${path}`);
      }
      for (const { list, link } of DETAILS) {
        await page.goto(list);
        const first = page.locator(link).first();
        if ((await first.count()) === 0) continue;
        const href = (await first.getAttribute("href")) ?? "";
        await page.goto(href);
        await check(page, testInfo, `${size.name} ${list} detail`);
      }
    });

    test("a rejected schedule form keeps its fields and passes axe", async ({ page }, testInfo) => {
      await signIn(page, MANAGER.email, MANAGER.password);
      await page.setViewportSize(size);
      await page.goto("/schedules");
      const form = page.getByRole("form", { name: "Schedule regular restoration test" });
      await form.getByLabel("Frequency").selectOption("monthly");
      await form.getByLabel("Day of the month").fill("31");
      await form.getByRole("button", { name: "Schedule", exact: true }).click();
      await expect(form.getByRole("alert").first()).toBeVisible();
      await expect(form.getByLabel("Frequency")).toHaveValue("monthly");
      await expect(form.getByLabel("Day of the month")).toBeVisible();
      await check(page, testInfo, `${size.name} schedule form rejected`);
    });
  });
}

test("on a phone the navigation is a keyboard-usable menu", async ({ page }, testInfo) => {
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await check(page, testInfo, "phone menu open");
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await page.keyboard.press("Enter");
  await nav.getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(/\/results/);
  await expect(nav).toBeHidden();
});

test("the skip link is the first stop and moves focus to the content", async ({ page }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/results");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("a password-change mismatch keeps the typed fields and shows one message per field", async ({ page }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/account/password");
  await page.getByLabel("Current password").fill("whatever-current-1");
  await page.getByLabel("New password", { exact: true }).fill("a-long-new-password-1");
  await page.getByLabel("Repeat the new password").fill("a-different-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#field-confirm-error")).toHaveText("The two passwords differ");
  await expect(page.getByLabel("Current password")).toHaveValue("whatever-current-1");
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue("a-long-new-password-1");
});
