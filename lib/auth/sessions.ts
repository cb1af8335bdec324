import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";

/**
 * Server-side sessions. The session cookie (a next-auth JWT) carries a random session id; the
 * database keeps only its SHA-256, one row per signed-in browser. A request counts as signed in
 * only while that row exists, so deleting it ends the session even for a copied cookie.
 */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

const digest = (sessionId: string) => createHash("sha256").update(sessionId).digest("hex");

/** A new session for the user; returns the id to put in the cookie. */
export async function openSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const sessionId = randomBytes(32).toString("base64url");
  // Expired rows of this user go now: the table holds only sessions that can still be used.
  await db.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  await db.session.create({
    data: { id: digest(sessionId), userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) },
  });
  return sessionId;
}

export async function isSessionOpen(db: Db, sessionId: string | undefined, userId: string, now = new Date()): Promise<boolean> {
  return (await sessionExpiresAt(db, sessionId, userId, now)) !== null;
}

/** When the user's session ends (its row's expiry), or null when it is not open. */
export async function sessionExpiresAt(db: Db, sessionId: string | undefined, userId: string, now = new Date()): Promise<Date | null> {
  if (!sessionId) return null;
  const row = await db.session.findUnique({ where: { id: digest(sessionId) } });
  return row && row.userId === userId && row.expiresAt > now ? row.expiresAt : null;
}

export async function endSession(db: Db, sessionId: string | undefined): Promise<void> {
  if (sessionId) await db.session.deleteMany({ where: { id: digest(sessionId) } });
}

/** Ends every session of the user, except `keep` (the browser that asked, e.g. on a password change). */
export async function endSessionsOf(db: Pick<Db, "session">, userId: string, keep?: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId, ...(keep ? { id: { not: digest(keep) } } : {}) } });
  return count;
}
