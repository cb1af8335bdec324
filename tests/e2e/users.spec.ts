import { expect, test } from "./checked-test";
import { MANAGER, addUser, signIn, signOut, uniqueEmail } from "./support";

test("a manager adds a user, the user cannot manage, and removal ends their session", async ({ browser }) => {
  const email = uniqueEmail("ann");
  const password = "Ann-initial-pass-42";

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, MANAGER.email, MANAGER.password);
  const userId = await addUser(manager, { email, name: "Ann Example", role: "user", password });
  await signOut(manager);

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signIn(user, email, password);
  await expect(user.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(user.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  for (const path of ["/users", "/audit"]) {
    const response = await user.goto(path);
    expect(response?.status()).toBe(403);
    await expect(user.getByRole("heading", { name: "Managers only" })).toBeVisible();
  }
  await user.goto("/");

  await signIn(manager, MANAGER.email, MANAGER.password);
  await manager.goto(`/users/${userId}`);
  await manager.getByRole("button", { name: "Remove user" }).click();
  await expect(manager.getByRole("dialog")).toContainText("Remove");
  await manager.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(manager).toHaveURL(/\/users$/);
  await expect(manager.getByRole("cell", { name: email })).toHaveCount(0);

  await user.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Results" }).click();
  await expect(user).toHaveURL(/\/signin/);

  await manager.goto("/audit");
  await expect(manager.getByRole("row").filter({ hasText: "user.remove" }).filter({ hasText: email })).toBeVisible();
});

test("bad input on the add-user form shows messages next to the fields and keeps what was typed", async ({ page }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/users");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add user" }) });
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Name").fill("Bob");
  await form.getByLabel("First password").selectOption("set");
  await form.getByLabel("Password", { exact: true }).fill("short");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.locator("#field-email-error")).toHaveText("Enter a valid email address");
  await expect(form.locator("#field-password-error")).toContainText("at least 12 characters");
  await expect(form.getByLabel("Name")).toHaveValue("Bob");

  await form.getByLabel("Email").fill(MANAGER.email);
  await form.getByLabel("Password", { exact: true }).fill("a-long-enough-password");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.locator("#field-email-error")).toHaveText("A user with this email already exists.");
});

test("a wrong password gets one message that does not say which field was wrong", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(MANAGER.email);
  await page.getByLabel("Password").fill("definitely-not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("The email or password is not right.");
});
