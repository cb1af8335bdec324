import { db } from "@/lib/db/client";
import { leaseTtlFor, RECONCILER_LEASE, tickLease } from "@/lib/db/tick-lease";
import { getJenkins } from "@/lib/jenkins";
import { startServerScheduleWatch } from "@/lib/schedules/server-watch";
import { reconcileIntervalMs } from "./config";
import { startReconciler, type Reconciler } from "./reconcile";
import { createSweepTrigger } from "./sweep-trigger";

const globalForReconciler = globalThis as unknown as { restoreDrillReconciler?: Reconciler };

/** Starts the reconciler once per server process (instrumentation.ts). */
export function startServerReconciler(): Reconciler {
  globalForReconciler.restoreDrillReconciler ??= startReconciler({
    db,
    jenkins: getJenkins(),
    intervalMs: reconcileIntervalMs(),
    sweep: createSweepTrigger(getJenkins()),
    // Replicas on one database: one reconciler (and sweep trigger) per tick across them.
    lease: tickLease(db, RECONCILER_LEASE, { ttlMs: leaseTtlFor(reconcileIntervalMs()) }),
  });
  // Schedules' missed runs and drift, on the same interval (lib/schedules/watch.ts).
  startServerScheduleWatch(reconcileIntervalMs());
  return globalForReconciler.restoreDrillReconciler;
}
