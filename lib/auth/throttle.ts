import type { Db } from "@/lib/db/client";

/**
 * Sign-in throttling per account and per client address. After FREE_FAILURES failures in a
 * window, each further failure doubles the wait (30 s, 1 min, 2 min … capped at 15 min).
 * A success clears the account's counter (not the address's: one good password must not
 * reset a spraying address).
 */
export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
const WINDOW_MS = 60 * 60_000;

export const throttleKeys = (email: string, address: string | null) =>
  [`email:${email.toLowerCase()}`, ...(address ? [`ip:${address}`] : [])];

export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

/** Milliseconds until a new attempt is allowed for any of the keys; 0 when allowed now. */
export async function retryAfterMs(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys } } });
  return Math.max(0, ...rows.map((r) => (r.blockedUntil ? r.blockedUntil.getTime() - now.getTime() : 0)));
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    await db.$transaction(async (tx) => {
      const row = await tx.signInThrottle.findUnique({ where: { key } });
      const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
      const failures = fresh ? 1 : row.failures + 1;
      const delay = delayAfter(failures);
      const data = { failures, windowStart: fresh ? now : row.windowStart, blockedUntil: delay ? new Date(now.getTime() + delay) : null };
      await tx.signInThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
    });
  }
}

export async function recordSuccess(db: Db, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: `email:${email.toLowerCase()}` } });
}
