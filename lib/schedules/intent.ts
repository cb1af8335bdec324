import type { Db } from "@/lib/db/client";

// Both-or-neither across a crash. Every schedule operation writes an intent (ScheduleIntent)
// before it touches Jenkins and removes it in the same transaction as the schedule row's write,
// so the row is the commit point: an intent still there means the operation did not reach it
// (the portal was killed, or Jenkins stopped answering and the undo failed too). The reconciler
// (reconcile-intents.ts) then makes the job what the row says — no row: no job of that schedule;
// a row: its rendered job — which finishes or undoes the operation, and removes the intent.

export type IntentOperation = "create" | "update" | "pause" | "resume" | "delete";

/**
 * How long an operation may still be running after it wrote its intent: longer than all of its
 * Jenkins calls with their timeouts and retries. Until then no reconciler touches the job.
 */
export const INTENT_LEASE_MS = 2 * 60_000;

type IntentWriter = Pick<Db, "scheduleIntent">;

/** Writes the intent; call before the first Jenkins step of an operation on job `jobName`. */
export async function recordIntent(
  db: IntentWriter,
  operation: IntentOperation,
  scheduleId: string,
  jobName: string,
  now = new Date(),
): Promise<void> {
  await db.scheduleIntent.create({ data: { operation, scheduleId, jobName, leaseUntil: new Date(now.getTime() + INTENT_LEASE_MS) } });
}

/** Removes the schedule's intents; call inside the transaction that writes the schedule's row. */
export async function clearIntents(tx: IntentWriter, scheduleId: string): Promise<void> {
  await tx.scheduleIntent.deleteMany({ where: { scheduleId } });
}

/**
 * Runs an operation; if it fails (it has undone what it could and said so), its intents are
 * handed to the reconciler at once instead of after the lease: the operation is over. A killed
 * process never gets here, and its intents wait for the lease to run out.
 */
export async function releasingIntentsOnFailure<T>(db: IntentWriter, scheduleId: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    await db.scheduleIntent.updateMany({ where: { scheduleId }, data: { leaseUntil: new Date(0) } }).catch((releaseError: unknown) => {
      console.error(`[schedules] could not release the intents of ${scheduleId}; the reconciler takes them after the lease`, releaseError);
    });
    throw error;
  }
}

/** Whether an operation on schedule `scheduleId` may still be running (its intent is leased). */
export async function operationInFlight(db: IntentWriter, scheduleId: string, now = new Date()): Promise<boolean> {
  return (await db.scheduleIntent.count({ where: { scheduleId, leaseUntil: { gt: now } } })) > 0;
}
