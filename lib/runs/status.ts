// The run's life: queued → running → passed | failed | could-not-verify | aborted, or
// failed-to-start when Jenkins never took the trigger. Only open runs change; every close is a
// conditional update (where status is still open), so the callback, the reconciler and the
// live poller can race and exactly one of them decides.

export const RUN_STATUSES = ["queued", "running", "passed", "failed", "could-not-verify", "aborted", "failed-to-start"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const OPEN_STATUSES = ["queued", "running"] as const satisfies readonly RunStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** The verdicts a finished check gives (the report's verdict); the others say the check did not finish. */
export const VERDICTS = ["passed", "failed", "could-not-verify"] as const satisfies readonly RunStatus[];
export type Verdict = (typeof VERDICTS)[number];
/** The verdicts that need someone's attention. */
export const FAILURE_VERDICTS = ["failed", "could-not-verify"] as const satisfies readonly Verdict[];

/** The colour of a status: the `badge`, `verdict` and tile classes of the pages. */
export type StatusTone = "success" | "failure" | "warning" | "running";

/** The tones' colours where CSS classes cannot reach (charts), matching globals.css. */
export const TONE_COLORS: Record<StatusTone, string> = { success: "#2e7d32", failure: "#c62828", warning: "#ef8f00", running: "#8a97a8" };

/** How every page names and colours a status. */
export const RUN_STATUS_DISPLAY: Record<RunStatus, { label: string; tone: StatusTone }> = {
  queued: { label: "Waiting for Jenkins", tone: "running" },
  running: { label: "Running", tone: "running" },
  passed: { label: "Passed", tone: "success" },
  failed: { label: "Failed", tone: "failure" },
  "could-not-verify": { label: "Could not verify", tone: "warning" },
  aborted: { label: "Aborted", tone: "warning" },
  "failed-to-start": { label: "Did not start", tone: "failure" },
};

/** The display of any stored status; an unknown one shows as could-not-verify does. */
export const statusDisplay = (status: string) => RUN_STATUS_DISPLAY[asRunStatus(status)];

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
