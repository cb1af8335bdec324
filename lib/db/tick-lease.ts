import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "./client";

// Replicas: several portal processes may share one database, but the background ticks (the run
// reconciler with its sweep trigger, the schedule watch with its missed-run mails) must run on
// one of them per tick. A lease row per tick name, taken with one conditional UPDATE, does that
// on both providers: the holder renews it every round; a holder killed mid-tick simply stops
// renewing, and another replica takes the tick over once the lease has run out. The work in a
// tick is itself idempotent (conditional claims on each run and schedule), so a round cut short
// is redone by the next holder and nothing is lost or done twice.

export const RECONCILER_LEASE = "reconciler";
export const SCHEDULE_WATCH_LEASE = "schedule-watch";

export interface TickLease {
  /** This process's name in the lease row (host, pid and a random part, so a restarted pid is someone else). */
  readonly holder: string;
  /** Takes or renews the lease; false while another live holder has it. */
  acquire(): Promise<boolean>;
  /** Records a round with Jenkins answering (shared, so /metrics on any replica sees it). */
  markOk(at?: Date): Promise<void>;
  /** The holder's last good round, whoever holds it. */
  lastOk(): Promise<Date | null>;
  /** Gives the lease up at once (clean shutdown), so another replica need not wait it out. */
  release(): Promise<void>;
}

export function processHolderName(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * ttlMs must exceed a normal round plus the interval: the holder renews at the start of each
 * round. A round longer than ttlMs lets another replica start one too, which the per-row claims
 * make harmless (never double work), only wasteful.
 */
export function tickLease(db: Db, name: string, options: { ttlMs: number; holder?: string; now?: () => Date }): TickLease {
  const holder = options.holder ?? processHolderName();
  const now = options.now ?? (() => new Date());
  return {
    holder,
    async acquire() {
      const at = now();
      const leaseUntil = new Date(at.getTime() + options.ttlMs);
      // Atomic on both providers: PostgreSQL re-checks the WHERE on the locked row after a
      // concurrent writer commits; SQLite serialises writers.
      const taken = await db.tickLease.updateMany({
        where: { name, OR: [{ holder }, { leaseUntil: { lte: at } }] },
        data: { holder, leaseUntil },
      });
      if (taken.count === 1) return true;
      try {
        await db.tickLease.create({ data: { name, holder, leaseUntil } });
        return true;
      } catch (error) {
        // The row exists (held by someone else) or another replica created it just now.
        if ((error as { code?: string }).code === "P2002") return false;
        throw error;
      }
    },
    async markOk(at = now()) {
      await db.tickLease.updateMany({ where: { name, holder }, data: { okAt: at } });
    },
    async lastOk() {
      const row = await db.tickLease.findUnique({ where: { name }, select: { okAt: true } });
      return row?.okAt ?? null;
    },
    async release() {
      await db.tickLease.updateMany({ where: { name, holder }, data: { leaseUntil: new Date(0) } });
    },
  };
}

/** A lease comfortably longer than a round: three intervals, at least a minute. */
export function leaseTtlFor(intervalMs: number): number {
  return Math.max(3 * intervalMs, 60_000);
}
