import { expect, test } from "./checked-test";
import { MANAGER, signIn } from "./support";

// The security headers of lib/http/security-headers.ts, as a browser receives them, and a
// walk through the portal's pages that must run with no Content-Security-Policy violation.

const nonceOf = (csp: string) => /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];

test("pages and routes carry the security headers, and each page's scripts its own nonce", async ({ request }) => {
  const first = await request.get("/signin");
  const headers = first.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["strict-transport-security"]).toBeUndefined();

  // Every script element in the page carries this answer's nonce; the next answer has another.
  const nonce = nonceOf(csp);
  expect(nonce).toBeTruthy();
  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect(nonceOf((await request.get("/signin")).headers()["content-security-policy"] ?? "")).not.toBe(nonce);

  // HSTS only when the browser came over HTTPS (here through a proxy that says so).
  const viaHttps = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(viaHttps.headers()["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);

  for (const path of ["/api/health", "/api/results/export", "/", "/no/such/page"]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect.soft(res.headers()["x-content-type-options"], path).toBe("nosniff");
    expect.soft(res.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
  }
  const asset = html.match(/\/_next\/static\/[^"]+\.js/)?.[0];
  expect(asset).toBeTruthy();
  expect((await request.get(asset!)).headers()["x-content-type-options"]).toBe("nosniff");
});

test("the portal's pages run with no Content-Security-Policy violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Refused to load (CSP ${e.violatedDirective}) ${e.blockedURI}`),
    );
  });
  await signIn(page, MANAGER.email, MANAGER.password);
  for (const path of ["/", "/runs/new", "/schedules", "/results", "/statistics", "/credentials", "/users", "/audit", "/account/password"]) {
    await page.goto(path);
    // Hydrated: the client-side sign-out button works only once React's scripts ran.
    await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeEnabled();
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Results" }).click();
  await expect(page).toHaveURL(/\/results$/);
  expect(violations).toEqual([]);
});
