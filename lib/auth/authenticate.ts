import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { signInSchema } from "@/lib/validation/user";
import { decoyPasswordHash, verifyPassword } from "./password";
import { isSessionOpen } from "./sessions";
import { claimSignIn, recordSuccess, throttleKeys } from "./throttle";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "manager" | "user";
  sessionVersion: number;
  mustChangePassword: boolean;
  /** The session (lib/auth/sessions.ts) the request came with; absent outside a request. */
  sessionId?: string;
}

export type AuthResult =
  | { ok: true; user: SessionUser }
  // One reason for every wrong email/password/disabled account: the answer must not tell which.
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

export async function authenticate(db: Db, raw: unknown, address: string | null, now = new Date()): Promise<AuthResult> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const keys = throttleKeys(email, address);

  // Claimed before the check: parallel guesses cannot all slip in under the limit.
  const wait = await claimSignIn(db, keys, now);
  if (wait > 0) {
    await recordAudit(db, {
      actor: { email },
      action: "auth.sign-in",
      target: email,
      outcome: "denied",
      details: { reason: "throttled" },
      address,
    });
    return { ok: false, reason: "throttled", retryAfterMs: wait };
  }

  const user = await db.user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !passwordOk || user.disabled) {
    const reason = !user ? "unknown-email" : !passwordOk ? "wrong-password" : "disabled";
    await recordAudit(db, {
      actor: { id: user?.id, email },
      action: "auth.sign-in",
      target: email,
      outcome: "failure",
      details: { reason },
      address,
    });
    return { ok: false, reason: "invalid" };
  }

  await recordSuccess(db, keys);
  await recordAudit(db, { actor: user, action: "auth.sign-in", target: email, outcome: "success", address });
  return {
    ok: true,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
      mustChangePassword: user.mustChangePassword,
    },
  };
}

/**
 * The user behind a session token, or null when the session was ended (sign-out, password change,
 * sign out everywhere) or the user was removed, disabled, or changed since it was issued.
 */
export async function resolveSessionUser(
  db: Db,
  userId: string | undefined,
  sessionVersion: number | undefined,
  sessionId: string | undefined,
): Promise<SessionUser | null> {
  if (!userId || !sessionId) return null;
  const [user, open] = await Promise.all([db.user.findUnique({ where: { id: userId } }), isSessionOpen(db, sessionId, userId)]);
  if (!user || !open || user.disabled || user.sessionVersion !== sessionVersion) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    sessionVersion: user.sessionVersion,
    mustChangePassword: user.mustChangePassword,
    sessionId,
  };
}
