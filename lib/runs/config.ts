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
  const parsed = z.coerce.number().int().min(500).max(3_600_000).safeParse(env.RECONCILE_INTERVAL_MS?.trim() || 10_000);
  return parsed.success ? parsed.data : 10_000;
}
