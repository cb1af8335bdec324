import { z } from "zod";

// What a personal API token may do. "admin" (managers only) adds the manager-only operations;
// "metrics" reads /metrics and nothing else, so a scrape token leaks no run data.
export const API_SCOPES = ["read", "run", "schedules", "admin", "metrics"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_LABELS: Record<ApiScope, string> = {
  read: "read — runs, logs, statistics, schedules, key list",
  run: "run — start and stop restores",
  schedules: "schedules — create, change, pause, resume, delete, run now",
  admin: "admin — add and delete keys (managers only)",
  metrics: "metrics — Prometheus /metrics only",
};

export const EXPIRY_CHOICES = ["7", "30", "90", "365", "never"] as const;

export function parseScopes(text: string): ApiScope[] {
  return text.split(",").filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
}

/** Checkboxes named scope_<name> (the account page's form) become one "scopes" list. */
function gatherScopes(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || "scopes" in raw) return raw;
  const scopes = API_SCOPES.filter((s) => (raw as Record<string, unknown>)[`scope_${s}`] === "on");
  return { ...raw, scopes };
}

/** One token request: from the account page's form or as JSON ({ name, expiresIn, scopes: [...] }). */
export const createTokenSchema = z
  .preprocess(
    gatherScopes,
    z.object({
      name: z
        .string({ error: "Name the token, e.g. ci-nightly." })
        .trim()
        .min(1, "Name the token, e.g. ci-nightly.")
        .max(60, "A token name is at most 60 characters.")
        .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces, dots, dashes and underscores."),
      expiresIn: z.enum(EXPIRY_CHOICES, { error: "Choose an expiry from the list." }),
      scopes: z.preprocess(
        (v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v),
        z
          .array(z.enum(API_SCOPES, { error: "Choose scopes from the list." }))
          .min(1, "Choose at least one scope.")
          .max(API_SCOPES.length),
      ),
    }),
  )
  .transform((v) => ({
    name: v.name,
    scopes: [...new Set(v.scopes)],
    expiresInDays: v.expiresIn === "never" ? null : Number(v.expiresIn),
  }));

export type CreateTokenInput = z.output<typeof createTokenSchema>;

export const tokenRefSchema = z.object({
  tokenId: z.string({ error: "Which token?" }).regex(/^[a-z0-9]{10,40}$/, "That is not a token id."),
});
