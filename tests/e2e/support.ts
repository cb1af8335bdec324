import { expect, type Page } from "@playwright/test";

export const MANAGER = {
  email: process.env.E2E_MANAGER_EMAIL ?? "manager@e2e.test",
  password: process.env.E2E_MANAGER_PASSWORD ?? "e2e-Manager-pass-2026",
};

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
}

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;

/** Adds a user through the Users page with a set password; returns its id from the list link. */
export async function addUser(page: Page, opts: { email: string; name: string; role: "user" | "manager"; password: string }) {
  await page.goto("/users");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add user" }) });
  await form.getByLabel("Email").fill(opts.email);
  await form.getByLabel("Name").fill(opts.name);
  await form.getByLabel("Role").selectOption(opts.role);
  await form.getByLabel("First password").selectOption("set");
  await form.getByLabel("Password", { exact: true }).fill(opts.password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Added ${opts.email}` })).toBeVisible();
  const link = page.getByRole("row", { name: new RegExp(opts.email.replace(/[.+]/g, "\\$&")) }).getByRole("link");
  const href = await link.getAttribute("href");
  return href!.split("/").pop()!;
}
