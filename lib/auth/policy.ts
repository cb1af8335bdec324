/**
 * Who may reach what: every page and route handler under app/ is listed here, and
 * proxy.ts enforces this table on every request. tests/unit/auth/policy.test.ts fails when a
 * page or route exists that is not listed (or a listed one no longer exists).
 *
 * Patterns are app/ paths without route groups: [param] is one segment, [...rest] one or more.
 */
// "signed": no session; the route authenticates the request itself (an HMAC signature).
// "token": no session either; the route checks a personal API token and its scope (lib/api/route.ts).
export type Access = "public" | "signed" | "token" | "user" | "manager";

export interface RouteRule {
  pattern: string;
  kind: "page" | "api";
  access: Access;
}

export const ROUTES: readonly RouteRule[] = [
  { pattern: "/signin", kind: "page", access: "public" },
  { pattern: "/api/auth/[...nextauth]", kind: "api", access: "public" },
  { pattern: "/api/health", kind: "api", access: "public" },
  // The pipeline's callback carries no session: it is authenticated by its HMAC signature
  // (lib/runs/signature.ts), checked by the route itself.
  { pattern: "/api/runs/callback", kind: "api", access: "signed" },

  { pattern: "/", kind: "page", access: "user" },
  { pattern: "/account/password", kind: "page", access: "user" },
  { pattern: "/runs/new", kind: "page", access: "user" },
  { pattern: "/runs/[id]", kind: "page", access: "user" },
  { pattern: "/runs/by-build/[job]/[build]", kind: "page", access: "user" },
  { pattern: "/api/runs/[id]/events", kind: "api", access: "user" },
  { pattern: "/api/runs/[id]/log", kind: "api", access: "user" },
  { pattern: "/api/runs/[id]/stages/[stage]/log", kind: "api", access: "user" },
  { pattern: "/schedules", kind: "page", access: "user" },
  { pattern: "/schedules/[id]", kind: "page", access: "user" },
  { pattern: "/schedules/[id]/edit", kind: "page", access: "user" },
  { pattern: "/api/schedules/export", kind: "api", access: "user" },
  { pattern: "/results", kind: "page", access: "user" },
  { pattern: "/api/results/export", kind: "api", access: "user" },
  { pattern: "/statistics", kind: "page", access: "user" },

  { pattern: "/credentials", kind: "page", access: "manager" },
  { pattern: "/api/credentials", kind: "api", access: "manager" },
  { pattern: "/users", kind: "page", access: "manager" },
  { pattern: "/users/[id]", kind: "page", access: "manager" },
  { pattern: "/audit", kind: "page", access: "manager" },
  { pattern: "/api/audit/export", kind: "api", access: "manager" },

  // The API (issue 17): bearer tokens only, scopes per operation in lib/api/operations.ts.
  { pattern: "/account", kind: "page", access: "user" },
  { pattern: "/docs/api", kind: "page", access: "user" },
  { pattern: "/api/v1/openapi.json", kind: "api", access: "public" },
  { pattern: "/metrics", kind: "api", access: "token" },
  { pattern: "/api/v1/runs", kind: "api", access: "token" },
  { pattern: "/api/v1/runs/[id]", kind: "api", access: "token" },
  { pattern: "/api/v1/runs/[id]/log", kind: "api", access: "token" },
  { pattern: "/api/v1/runs/[id]/stop", kind: "api", access: "token" },
  { pattern: "/api/v1/stats", kind: "api", access: "token" },
  { pattern: "/api/v1/schedules", kind: "api", access: "token" },
  { pattern: "/api/v1/schedules/[id]", kind: "api", access: "token" },
  { pattern: "/api/v1/schedules/[id]/run", kind: "api", access: "token" },
  { pattern: "/api/v1/schedules/[id]/pause", kind: "api", access: "token" },
  { pattern: "/api/v1/schedules/[id]/resume", kind: "api", access: "token" },
  { pattern: "/api/v1/credentials", kind: "api", access: "token" },
  { pattern: "/api/v1/credentials/[id]", kind: "api", access: "token" },
];

/**
 * What a user who must change a one-time password may still reach: the page to change it (and
 * sign-in, sign-out: /api/auth is public). Everything else, pages and API routes alike, waits.
 */
export const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(["/account/password", "/signin"]);

function toRegExp(pattern: string): RegExp {
  if (pattern === "/") return /^\/$/;
  const body = pattern
    .split("/")
    .slice(1)
    .map((seg) =>
      seg.startsWith("[...") ? "(?:/[^/]+)+" : seg.startsWith("[") ? "/[^/]+" : "/" + seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}/?$`);
}

const compiled = ROUTES.map((rule) => ({ rule, re: toRegExp(rule.pattern) }));

/** The rule for a request path; unlisted paths need a signed-in user (deny by default). */
export function ruleFor(pathname: string): RouteRule {
  return (
    compiled.find((c) => c.re.test(pathname))?.rule ?? {
      pattern: pathname,
      kind: pathname.startsWith("/api/") ? "api" : "page",
      access: "user",
    }
  );
}

export type Decision = "allow" | "sign-in" | "unauthorized" | "forbidden" | "change-password" | "password-change-required";

export function decide(
  rule: RouteRule,
  user: { role: "manager" | "user"; mustChangePassword: boolean } | null,
  pathname: string,
): Decision {
  if (rule.access === "public" || rule.access === "signed" || rule.access === "token") return "allow";
  if (!user) return rule.kind === "api" ? "unauthorized" : "sign-in";
  if (rule.access === "manager" && user.role !== "manager") return "forbidden";
  if (user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(pathname.replace(/(.)\/$/, "$1")))
    return rule.kind === "api" ? "password-change-required" : "change-password";
  return "allow";
}
