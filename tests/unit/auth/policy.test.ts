import fs from "node:fs";
import path from "node:path";
import { decide, ROUTES, ruleFor } from "@/lib/auth/policy";

/** app/ paths of every page.tsx and route.ts, route groups removed: what Next.js serves. */
function servedRoutes(dir = "app", prefix = ""): { pattern: string; kind: "page" | "api" }[] {
  const found: { pattern: string; kind: "page" | "api" }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      found.push(...servedRoutes(full, prefix + segment));
    } else if (/^page\.(tsx|ts)$/.test(entry.name)) found.push({ pattern: prefix || "/", kind: "page" });
    else if (/^route\.(ts|tsx)$/.test(entry.name)) found.push({ pattern: prefix || "/", kind: "api" });
  }
  return found;
}

const manager = { role: "manager" as const, mustChangePassword: false };
const user = { role: "user" as const, mustChangePassword: false };

describe("the access policy", () => {
  it("should list every page and route handler in app/, and nothing else", () => {
    const served = servedRoutes()
      .map((r) => `${r.kind} ${r.pattern}`)
      .sort();
    const listed = ROUTES.map((r) => `${r.kind} ${r.pattern}`).sort();
    expect(listed).toEqual(served);
  });

  it("should match dynamic segments and catch-alls", () => {
    expect(ruleFor("/users/abc123").pattern).toBe("/users/[id]");
    expect(ruleFor("/users/abc123/").pattern).toBe("/users/[id]");
    expect(ruleFor("/api/auth/callback/credentials").pattern).toBe("/api/auth/[...nextauth]");
    expect(ruleFor("/users").pattern).toBe("/users");
    expect(ruleFor("/usersx").access).toBe("user");
  });

  it("should deny unlisted paths to anonymous visitors", () => {
    expect(decide(ruleFor("/no/such/page"), null, "/no/such/page")).toBe("sign-in");
    expect(decide(ruleFor("/api/no-such"), null, "/api/no-such")).toBe("unauthorized");
  });

  it.each(ROUTES.map((r) => [r.pattern, r] as const))("should decide %s for anonymous, user and manager", (_p, rule) => {
    const anonymous = decide(rule, null, rule.pattern);
    const asUser = decide(rule, user, rule.pattern);
    const asManager = decide(rule, manager, rule.pattern);
    // A token route passes the proxy and checks its bearer token itself (tests/integration/api): a session does not count there.
    if (rule.access === "public" || rule.access === "signed" || rule.access === "token")
      expect([anonymous, asUser, asManager]).toEqual(["allow", "allow", "allow"]);
    else expect(anonymous).toBe(rule.kind === "api" ? "unauthorized" : "sign-in");
    if (rule.access === "user") expect([asUser, asManager]).toEqual(["allow", "allow"]);
    if (rule.access === "manager") expect([asUser, asManager]).toEqual(["forbidden", "allow"]);
  });

  it("should leave every /api/v1 route and /metrics to the API's own token check", () => {
    for (const path of ["/api/v1/runs", "/api/v1/runs/abc/log", "/api/v1/schedules/abc/pause", "/metrics"])
      expect(ruleFor(path).access).toBe("token");
    expect(ruleFor("/api/v1/openapi.json").access).toBe("public");
    // An /api/v1 path nobody listed falls back to a session check, never to "allow".
    expect(ruleFor("/api/v1/no-such").access).toBe("user");
  });

  it("should hold a user with a one-time password on the change-password page", () => {
    const pending = { role: "user" as const, mustChangePassword: true };
    expect(decide(ruleFor("/results"), pending, "/results")).toBe("change-password");
    expect(decide(ruleFor("/account/password"), pending, "/account/password")).toBe("allow");
  });

  it.each(ROUTES.filter((r) => r.access === "user" || r.access === "manager").map((r) => [r.pattern, r] as const))(
    "should hold a manager with a one-time password away from %s unless it is the password page",
    (_p, rule) => {
      const pending = { role: "manager" as const, mustChangePassword: true };
      const expected =
        rule.pattern === "/account/password" ? "allow" : rule.kind === "api" ? "password-change-required" : "change-password";
      expect(decide(rule, pending, rule.pattern)).toBe(expected);
    },
  );
});
