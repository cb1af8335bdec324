import { type APIRequestContext } from "@playwright/test";
import { expect, test } from "./checked-test";
import { ROUTES, type RouteRule } from "../../lib/auth/policy";
import { REQUEST_USER_HEADER, sealRequestUser } from "../../lib/auth/request-user";
import { fillRunForm, readRunFixture, submitRun } from "./run-fixture";
import { fillSchedule } from "./schedule-fixture";
import { MANAGER, addUser, signIn, signOut, uniqueEmail } from "./support";

// Walks every route of the access policy over HTTP, as anonymous, user and manager.
// tests/unit/auth/policy.test.ts makes sure that list is every page and route in app/.

type Who = "anonymous" | "user" | "manager";

function expected(rule: RouteRule, who: Who): number {
  if (rule.access === "public") return 200;
  // A signed route is reached by anyone and refuses whoever does not sign (the route's own check).
  if (rule.access === "signed") return 401;
  // API routes take a bearer token only: a session cookie is not one (tests/integration/api walks tokens × scopes).
  if (rule.access === "token") return 401;
  if (who === "anonymous") return rule.kind === "api" ? 401 : 307;
  if (rule.access === "manager" && who === "user") return 403;
  return 200;
}

test("every route answers each kind of visitor as the policy says", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const managerContext = await browser.newContext();
  const managerPage = await managerContext.newPage();
  await signIn(managerPage, MANAGER.email, MANAGER.password);
  const email = uniqueEmail("walker");
  const userId = await addUser(managerPage, { email, name: "Walker", role: "user", password: "Walker-pass-2026" });
  const userContext = await browser.newContext();
  await signIn(await userContext.newPage(), email, "Walker-pass-2026");

  // A finished run for the /runs/[id] routes (a missing backup file fails within seconds).
  const fixture = readRunFixture();
  await managerPage.goto("/runs/new");
  await fillRunForm(managerPage, fixture, { backupPath: fixture.missingPath, dbType: "mysql" });
  const runId = await submitRun(managerPage);
  await expect(managerPage.getByRole("region", { name: "Verdict" })).toContainText("Failed", { timeout: 50_000 });

  // A schedule for the /schedules/[id] routes.
  await managerPage.goto("/");
  const scheduleForm = await fillSchedule(managerPage, fixture, { name: `Walk ${Date.now() % 100000}` });
  await scheduleForm.getByRole("button", { name: "Schedule" }).click();
  await managerPage.waitForURL(/\/schedules\/[a-z0-9]+$/);
  const scheduleId = new URL(managerPage.url()).pathname.split("/").pop()!;

  const samplePath = (pattern: string) =>
    pattern
      // A build no run has recorded: the page answers with its "not reached the portal yet" text.
      .replace("/runs/by-build/[job]/[build]", "/runs/by-build/restore-drill-pipeline/999999999")
      .replace(/^(\/api)?\/runs\/\[id\]/, (prefix) => prefix.replace("[id]", runId))
      // The run failed in decrypt: that stage ran and has a log.
      .replace("/stages/[stage]/", "/stages/decrypt/")
      .replace(/^\/schedules\/\[id\]/, `/schedules/${scheduleId}`)
      .replace("[id]", userId)
      .replace("/api/auth/[...nextauth]", "/api/auth/csrf");
  const clients: Record<Who, APIRequestContext> = {
    anonymous: await playwright.request.newContext({ baseURL }),
    user: userContext.request,
    manager: managerContext.request,
  };

  const seen: string[] = [];
  for (const rule of ROUTES) {
    for (const who of ["anonymous", "user", "manager"] as Who[]) {
      const path = samplePath(rule.pattern);
      // Signed routes take only POST: an unsigned POST must be refused.
      let res =
        rule.access === "signed"
          ? await clients[who].post(path, { maxRedirects: 0, data: "{}" })
          : await clients[who].get(path, { maxRedirects: 0 });
      // Token routes that take no GET (stop, run, pause, resume; DELETE of a key): the other method is
      // refused before anything runs.
      for (const method of ["POST", "DELETE"])
        if (rule.access === "token" && res.status() === 405) res = await clients[who].fetch(path, { method, maxRedirects: 0, data: {} });
      seen.push(`${who} ${path} ${res.status()}`);
      expect.soft(res.status(), `${who} ${path}`).toBe(expected(rule, who));
      if (res.status() === 307) expect.soft(res.headers().location, `${who} GET ${path}`).toMatch(/^\/signin\?callbackUrl=/);
    }
  }
  expect(seen.length).toBe(ROUTES.length * 3);
});

test("a user with a one-time password must choose a new one before anything else", async ({ browser }) => {
  const managerPage = await (await browser.newContext()).newPage();
  await signIn(managerPage, MANAGER.email, MANAGER.password);
  await managerPage.goto("/users");
  const form = managerPage.locator("form", { has: managerPage.getByRole("button", { name: "Add user" }) });
  const email = uniqueEmail("otp");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Otto");
  await form.getByRole("button", { name: "Add user" }).click();
  const oneTime = (await managerPage.locator(".secret-once").textContent())!;
  expect(oneTime).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, oneTime);
  await page.goto("/results");
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel("Current password").fill(oneTime);
  await page.getByLabel("New password", { exact: true }).fill("Otto-own-password-1");
  await page.getByLabel("Repeat the new password").fill("Otto-own-password-1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/results");
  await expect(page).toHaveURL(/\/results$/);
});

/** Every route of the policy with placeholder ids: the proxy answers before any route looks them up. */
async function walkWithPlaceholders(
  client: APIRequestContext,
): Promise<{ rule: RouteRule; path: string; status: number; location?: string }[]> {
  const out = [];
  for (const rule of ROUTES) {
    const path = rule.pattern.replace("[...nextauth]", "csrf").replace(/\[[a-z]+\]/g, "placeholder1");
    let res =
      rule.access === "signed" ? await client.post(path, { maxRedirects: 0, data: "{}" }) : await client.get(path, { maxRedirects: 0 });
    // A token route without GET is asked with POST (stop, run, pause…), then DELETE (a key).
    if (rule.access === "token" && res.status() === 405) res = await client.post(path, { maxRedirects: 0, data: {} });
    if (rule.access === "token" && res.status() === 405) res = await client.delete(path, { maxRedirects: 0 });
    out.push({ rule, path, status: res.status(), location: res.headers().location });
  }
  return out;
}

test("a signed-out session's saved cookie opens nothing, and so do those ended by a password change or 'sign out everywhere'", async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, MANAGER.email, MANAGER.password);
  const email = uniqueEmail("leaver");
  await addUser(manager, { email, name: "Leaver", role: "manager", password: "Leaver-pass-2026" });
  const asAnonymous = (rule: RouteRule) => expected(rule, "anonymous");
  const replay = async (state: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>) => {
    const client = await playwright.request.newContext({ baseURL, storageState: state });
    const walked = await walkWithPlaceholders(client);
    await client.dispose();
    return walked.filter((w) => w.status !== asAnonymous(w.rule)).map((w) => `${w.path} ${w.status}`);
  };

  // 1. Sign-out: the cookie saved before it is worth nothing afterwards.
  const first = await browser.newContext();
  const firstPage = await first.newPage();
  await signIn(firstPage, email, "Leaver-pass-2026");
  const saved = await first.storageState();
  expect((await first.request.get("/api/audit/export", { maxRedirects: 0 })).status()).toBe(200);
  await signOut(firstPage);
  expect(await replay(saved)).toEqual([]);

  // 2. A password change ends the other sessions and keeps the one that made it.
  const [laptop, phone] = [await browser.newContext(), await browser.newContext()];
  const laptopPage = await laptop.newPage();
  await signIn(laptopPage, email, "Leaver-pass-2026");
  await signIn(await phone.newPage(), email, "Leaver-pass-2026");
  const phoneSaved = await phone.storageState();
  await laptopPage.goto("/account/password");
  await laptopPage.getByLabel("Current password").fill("Leaver-pass-2026");
  await laptopPage.getByLabel("New password", { exact: true }).fill("Leaver-new-pass-2026");
  await laptopPage.getByLabel("Repeat the new password").fill("Leaver-new-pass-2026");
  await laptopPage.getByRole("button", { name: "Change password" }).click();
  await expect(laptopPage).toHaveURL(/\/$/);
  expect(await replay(phoneSaved)).toEqual([]);
  expect((await laptop.request.get("/api/audit/export", { maxRedirects: 0 })).status()).toBe(200);

  // 3. "Sign out everywhere" on the account page ends this session and every other one.
  const desk = await browser.newContext();
  await signIn(await desk.newPage(), email, "Leaver-new-pass-2026");
  const [laptopSaved, deskSaved] = [await laptop.storageState(), await desk.storageState()];
  await laptopPage.goto("/account/password");
  await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
  await laptopPage.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptopPage).toHaveURL(/\/signin/);
  expect(await replay(laptopSaved)).toEqual([]);
  expect(await replay(deskSaved)).toEqual([]);
});

test("a manager with a one-time password reaches no page, route or export until it is changed", async ({ browser }) => {
  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, MANAGER.email, MANAGER.password);
  await manager.goto("/users");
  const form = manager.locator("form", { has: manager.getByRole("button", { name: "Add user" }) });
  const email = uniqueEmail("otp-manager");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Olga");
  await form.getByLabel("Role").selectOption("manager");
  await form.getByRole("button", { name: "Add user" }).click();
  const oneTime = (await manager.locator(".secret-once").textContent())!;

  const pending = await browser.newContext();
  const page = await pending.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(oneTime);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);

  const leaks = (await walkWithPlaceholders(pending.request)).filter(({ rule, status, location }) => {
    if (rule.access === "public" || rule.access === "signed") return status !== expected(rule, "manager");
    // Token routes never take a session, one-time password or not.
    if (rule.access === "token") return status !== expected(rule, "manager");
    if (rule.pattern === "/account/password") return status !== 200;
    return rule.kind === "api" ? status !== 403 : !(status === 307 && !!location?.endsWith("/account/password"));
  });
  expect(leaks.map((l) => `${l.path} ${l.status}`)).toEqual([]);
  const refused = await pending.request.get("/api/audit/export", { maxRedirects: 0 });
  expect(await refused.json()).toMatchObject({ error: "password-change-required" });
});

test("the user the proxy hands to the page cannot be sent by the browser (lib/auth/request-user.ts)", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const someone = { id: "u-forged", email: "forged@example.test", name: "Forged Manager", role: "manager" as const };
  const forged = sealRequestUser({ ...someone, sessionVersion: 0, mustChangePassword: false, sessionId: "s" }, "not-the-portal-secret");
  const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { [REQUEST_USER_HEADER]: forged } });
  const page = await anonymous.get("/", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toContain("/signin");
  expect((await anonymous.get("/api/results/export", { maxRedirects: 0 })).status()).toBe(401);
  await anonymous.dispose();

  const context = await browser.newContext({ extraHTTPHeaders: { [REQUEST_USER_HEADER]: forged } });
  const signedIn = await context.newPage();
  await signIn(signedIn, MANAGER.email, MANAGER.password);
  const answer = await signedIn.goto("/results");
  expect(answer?.headers()[REQUEST_USER_HEADER]).toBeUndefined();
  await expect(signedIn.getByText(MANAGER.email).first()).toBeVisible();
  await expect(signedIn.getByText(someone.name)).toHaveCount(0);
  await context.close();
});
