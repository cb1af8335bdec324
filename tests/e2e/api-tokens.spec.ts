import { execFileSync } from "node:child_process";
import { expect, test } from "./checked-test";
import { MANAGER, signIn } from "./support";

// A token made on the account page, used from curl (a real HTTP client, as the README shows),
// then revoked on the page: the next call is refused at once.

function curl(baseURL: string, path: string, token: string): { status: number; body: string } {
  const out = execFileSync("curl", ["-sS", "-w", "\n%{http_code}", "-H", `Authorization: Bearer ${token}`, `${baseURL}${path}`], {
    encoding: "utf8",
  });
  const cut = out.lastIndexOf("\n");
  return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
}

test("a token created on the account page works from curl until it is revoked", async ({ page, baseURL }) => {
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/");
  await page.getByRole("link", { name: "Account and API tokens" }).click();
  await expect(page).toHaveURL(/\/account$/);

  const form = page.getByRole("form", { name: "Create a token" });
  const name = `e2e-${Date.now() % 100000}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Expires").selectOption("30");
  await form.getByRole("checkbox", { name: /^run —/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^rdt_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;

  const runs = curl(baseURL!, "/api/v1/runs?tz=Europe/Dublin", token);
  expect(runs.status).toBe(200);
  expect(JSON.parse(runs.body)).toHaveProperty("runs");
  const stats = curl(baseURL!, "/api/v1/stats", token);
  expect(JSON.parse(stats.body).totals).toHaveProperty("successRate");
  // Read and run only: not a scrape token.
  expect(curl(baseURL!, "/metrics", token).status).toBe(403);

  // Listed by its prefix with its last use; the token itself is gone from the page for good.
  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText("read, run");
  await expect(row).not.toContainText("Never", { ignoreCase: false });
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByRole("cell").last()).toBeEmpty();
  await expect(row).toContainText("revoked");
  const refused = curl(baseURL!, "/api/v1/runs", token);
  expect(refused.status).toBe(401);
  expect(JSON.parse(refused.body)).toMatchObject({ status: 401, detail: "This token was revoked." });

  // The calls are in the audit trail under the token's name, reads included.
  await page.goto("/audit?action=api.runs.list");
  await expect(page.getByRole("table")).toContainText(name);

  // The document and its page.
  const doc = curl(baseURL!, "/api/v1/openapi.json", "unused");
  expect(JSON.parse(doc.body).openapi).toBe("3.1.0");
  await page.goto("/docs/api");
  await expect(page.getByRole("region", { name: "POST /runs", exact: true })).toContainText("Scope: run");
});
