// The run's life: queued → running → passed | failed | could-not-verify | aborted, or
// failed-to-start when Jenkins never took the trigger. Only open runs change; every close is a
// conditional update (where status is still open), so the callback, the reconciler and the
// live poller can race and exactly one of them decides.

export const RUN_STATUSES = ["queued", "running", "passed", "failed", "could-not-verify", "aborted", "failed-to-start"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const OPEN_STATUSES = ["queued", "running"] as const satisfies readonly RunStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export const RUN_SOURCES = ["portal", "schedule", "jenkins"] as const;
export type RunSource = (typeof RUN_SOURCES)[number];

export function isOpenStatus(status: string): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export function asRunStatus(status: string): RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(status) ? (status as RunStatus) : "could-not-verify";
}

export function asRunSource(source: string): RunSource {
  return (RUN_SOURCES as readonly string[]).includes(source) ? (source as RunSource) : "jenkins";
}

/**
 * Reason codes the portal itself gives (the pipeline's own codes are in jenkins-jobs/README.md).
 * They say why a run ended without a usable report.
 */
export const PORTAL_REASON = {
  buildAborted: "BUILD_ABORTED",
  noReport: "NO_REPORT",
  reportInvalid: "REPORT_INVALID",
  buildVanished: "BUILD_VANISHED",
  queueItemVanished: "QUEUE_ITEM_VANISHED",
  queueCancelled: "QUEUE_CANCELLED",
  resultDisagrees: "RESULT_DISAGREES",
  triggerLost: "TRIGGER_LOST",
  stopped: "STOPPED",
} as const;
