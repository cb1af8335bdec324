import { createHmac, timingSafeEqual } from "node:crypto";

// The pipeline's callback signature (jenkins-jobs/README.md, scripts/callback.sh):
//   X-Restore-Drill-Timestamp: <unix seconds>
//   X-Restore-Drill-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// over the exact body bytes. Old or future timestamps are refused, so a captured request
// stops working after a few minutes even before the per-run replay check.

export const SIGNATURE_HEADER = "x-restore-drill-signature";
export const TIMESTAMP_HEADER = "x-restore-drill-timestamp";
export const MAX_AGE_SECONDS = 5 * 60;
export const MAX_FUTURE_SECONDS = 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "future" | "mismatch" };

export function signCallback(secret: string, timestamp: string | number, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`;
}

export function verifyCallbackSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: Buffer;
  now?: Date;
}): SignatureCheck {
  const { secret, timestamp, signature, body } = input;
  if (!timestamp || !signature) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(timestamp) || !/^sha256=[0-9a-fA-F]{64}$/.test(signature)) return { ok: false, reason: "malformed" };
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const age = nowSeconds - Number(timestamp);
  if (age > MAX_AGE_SECONDS) return { ok: false, reason: "stale" };
  if (age < -MAX_FUTURE_SECONDS) return { ok: false, reason: "future" };
  const expected = Buffer.from(signCallback(secret, timestamp, body).slice("sha256=".length), "hex");
  const given = Buffer.from(signature.slice("sha256=".length).toLowerCase(), "hex");
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: "mismatch" };
}
