import { createHmac, timingSafeEqual } from "node:crypto";
import type { SessionUser } from "./authenticate";

/**
 * The user proxy.ts resolved for a request, handed on to the render of that same request, so the
 * session cookie is decrypted and looked up once per request instead of twice (issue #18: under
 * load that was a fifth of the portal's work). proxy.ts deletes any incoming header of this name
 * before it sets its own; the value is also sealed with an HMAC of NEXTAUTH_SECRET, so a header
 * that did not come from the proxy of this installation is ignored (the user is resolved again).
 */
export const REQUEST_USER_HEADER = "x-restore-drill-session-user";

const key = (secret: string) => createHmac("sha256", secret).update("restore-drill request user v1").digest();
const mac = (secret: string, payload: string) => createHmac("sha256", key(secret)).update(payload).digest("base64url");

export function sealRequestUser(user: SessionUser, secret: string): string {
  const payload = Buffer.from(JSON.stringify(user), "utf8").toString("base64url");
  return `${payload}.${mac(secret, payload)}`;
}

/** The user sealed by sealRequestUser, or null for a missing, forged or malformed value. */
export function openRequestUser(value: string | null | undefined, secret: string | undefined): SessionUser | null {
  if (!value || !secret) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(secret, payload), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const user = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionUser;
    return typeof user?.id === "string" && typeof user.email === "string" ? user : null;
  } catch {
    return null;
  }
}
