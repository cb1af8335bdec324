import { z } from "zod";

// Settings of the run domain, read when first needed (never at import time, so that pages and
// tests that do not run restores do not need them).

/** The portal's public URL, for the pipeline's callback: PORTAL_URL, else NEXTAUTH_URL. */
export function portalUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.PORTAL_URL?.trim() || env.NEXTAUTH_URL?.trim() || `http://localhost:${env.PORT?.trim() || "3000"}`;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  if (!parsed.success) throw new Error("PORTAL_URL (or NEXTAUTH_URL) must be the portal's http(s) URL as Jenkins reaches it");
  return parsed.data;
}

/** The pipeline's callback URL for this portal. */
export function callbackUrlFor(base: string): string {
  return new URL("api/runs/callback", base.endsWith("/") ? base : `${base}/`).toString();
}

export const CALLBACK_SECRET_MIN_LENGTH = 16;

/** RESTORE_DRILL_CALLBACK_SECRET, or null when unset/too short (callbacks are then refused). */
export function callbackSecret(env: NodeJS.ProcessEnv = process.env): string | null {
  const secret = env.RESTORE_DRILL_CALLBACK_SECRET ?? "";
  return secret.length >= CALLBACK_SECRET_MIN_LENGTH ? secret : null;
}

/** RECONCILE_INTERVAL_MS (default 10 s): how often open runs are checked against Jenkins. */
export function reconcileIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(500)
    .max(3_600_000)
    .safeParse(env.RECONCILE_INTERVAL_MS?.trim() || 10_000);
  return parsed.success ? parsed.data : 10_000;
}

/**
 * MAX_OPEN_RUNS_PER_USER (default 5): how many restores one person may have queued or running at
 * once from the run form, so that one person's burst cannot queue ahead of everyone. Timer runs
 * of schedules are Jenkins' and not counted.
 */
export const DEFAULT_MAX_OPEN_RUNS_PER_USER = 5;
export function maxOpenRunsPerUser(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .safeParse(env.MAX_OPEN_RUNS_PER_USER?.trim() || DEFAULT_MAX_OPEN_RUNS_PER_USER);
  return parsed.success ? parsed.data : DEFAULT_MAX_OPEN_RUNS_PER_USER;
}
