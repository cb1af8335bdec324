import type { Db } from "@/lib/db/client";

/**
 * Sign-in throttling as OWASP suggests: per account AND address together, so that guesses from
 * one place never lock the account's owner out at their own address; plus a looser limit per
 * address alone, against one place trying many accounts. After a key's free failures each
 * further one doubles its wait (30 s, 1 min, 2 min … capped at 15 min).
 *
 * The count is claimed before the password is checked, in one compare-and-set per key: N
 * parallel guesses get at most the free number of checks, not N (a check that then succeeds
 * gives its claim back).
 */
export const FREE_FAILURES = 5;
export const FREE_FAILURES_PER_ADDRESS = 20;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
const WINDOW_MS = 60 * 60_000;
// Beyond this many lost races in a row the attempt is refused rather than counted loosely.
const MAX_CLAIM_ROUNDS = 200;

export interface ThrottleKey {
  key: string;
  free: number;
}

export interface ThrottleKeys {
  /** The account at this address: the tight limit. */
  pair: ThrottleKey;
  /** The address alone, every account: the loose limit (none when the address is unknown). */
  address: ThrottleKey | null;
}

export function throttleKeys(email: string, address: string | null): ThrottleKeys {
  const account = email.trim().toLowerCase();
  return {
    pair: { key: `acct:${account}|ip:${address ?? "unknown"}`, free: FREE_FAILURES },
    address: address ? { key: `ip:${address}`, free: FREE_FAILURES_PER_ADDRESS } : null,
  };
}

export function delayAfter(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - free));
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/**
 * Counts one attempt against the key unless it is blocked. Returns 0 when the attempt may go
 * ahead (it is counted now), or the milliseconds to wait.
 */
export async function claimAttempt(db: Db, { key, free }: ThrottleKey, now = new Date()): Promise<number> {
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const row = await db.signInThrottle.findUnique({ where: { key } });
    if (row?.blockedUntil && row.blockedUntil > now) return row.blockedUntil.getTime() - now.getTime();
    const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const delay = delayAfter(failures, free);
    const data = { failures, windowStart: fresh ? now : row.windowStart, blockedUntil: delay ? new Date(now.getTime() + delay) : null };
    if (!row) {
      try {
        await db.signInThrottle.create({ data: { key, ...data } });
        return 0;
      } catch (error) {
        if (isUniqueViolation(error)) continue; // another attempt created it first: count against that
        throw error;
      }
    }
    // Only if nobody counted since we read: otherwise read again and count on top of theirs.
    const { count } = await db.signInThrottle.updateMany({ where: { key, failures: row.failures, windowStart: row.windowStart }, data });
    if (count === 1) return 0;
  }
  return BASE_DELAY_MS;
}

/** Claims the address, then the account at it; 0 when the password may be checked. */
export async function claimSignIn(db: Db, keys: ThrottleKeys, now = new Date()): Promise<number> {
  if (keys.address) {
    const wait = await claimAttempt(db, keys.address, now);
    if (wait > 0) return wait;
  }
  return claimAttempt(db, keys.pair, now);
}

/**
 * The right password: the account's counter at this address starts over, and the address gets
 * this attempt's claim back (a good password does not wipe what an address sprayed before).
 */
export async function recordSuccess(db: Db, keys: ThrottleKeys): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: keys.pair.key } });
  if (keys.address)
    await db.signInThrottle.updateMany({ where: { key: keys.address.key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}
