import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";

// Sandboxes whose build died with Jenkins (or its agent) are removed by the
// restore-drill-sweep job (scripts/sweep.sh; deploy sweeps too). The portal's
// reconciler starts that job at a modest interval so a crashed Jenkins leaves
// no database server running for long even when no new run is deployed.

export const SWEEP_JOB = "restore-drill-sweep";
/** How often the reconciler starts the sweep job: often enough to matter, rare enough to stay out of the build history's way. */
export const SWEEP_INTERVAL_MS = 10 * 60_000;

export type SweepTriggerOutcome = "triggered" | "not-due" | "no-job" | "failed";

export interface SweepTrigger {
  /** Called on every reconciler round; starts the sweep job when it is due. */
  tick(): Promise<SweepTriggerOutcome>;
}

export function createSweepTrigger(
  jenkins: Pick<JenkinsAdapter, "triggerBuild">,
  options: { intervalMs?: number; now?: () => number } = {},
): SweepTrigger {
  const intervalMs = options.intervalMs ?? SWEEP_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let lastAttempt: number | null = null;
  return {
    async tick() {
      const at = now();
      if (lastAttempt !== null && at - lastAttempt < intervalMs) return "not-due";
      // Counted from the attempt, so an unreachable Jenkins is not asked every round.
      lastAttempt = at;
      try {
        // /build without parameters; a sweep already queued is joined (303), never doubled.
        await jenkins.triggerBuild(SWEEP_JOB);
        return "triggered";
      } catch (error) {
        if (!isJenkinsError(error)) throw error;
        // A Jenkins provisioned before the sweep job existed: nothing to start.
        return error.kind === "not-found" ? "no-job" : "failed";
      }
    },
  };
}
