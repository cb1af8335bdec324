import { db } from "@/lib/db/client";
import { leaseTtlFor, SCHEDULE_WATCH_LEASE, tickLease } from "@/lib/db/tick-lease";
import { getJenkins } from "@/lib/jenkins";
import { portalUrl } from "@/lib/runs/config";
import { mailSettings, smtpMailer } from "@/lib/shared/mail";
import { graceMinutes } from "./missed";
import { startScheduleWatch } from "./watch";

const globalForWatch = globalThis as unknown as { restoreDrillScheduleWatch?: { stop(): void } };

/** Starts the schedule watch once per server process, beside the run reconciler. */
export function startServerScheduleWatch(intervalMs: number): void {
  const settings = mailSettings();
  globalForWatch.restoreDrillScheduleWatch ??= startScheduleWatch({
    db,
    jenkins: getJenkins,
    portalUrl: () => portalUrl(),
    mailer: settings ? smtpMailer(settings) : null,
    graceMinutes: graceMinutes(),
    intervalMs,
    lease: tickLease(db, SCHEDULE_WATCH_LEASE, { ttlMs: leaseTtlFor(intervalMs) }),
  });
}
