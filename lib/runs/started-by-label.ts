import type { RunSource } from "./status";

// Kept apart from ./started-by.ts (which reads Jenkins builds) so pages that must not load the
// Jenkins adapter (Results, tests/unit/results/no-jenkins.test.ts) can name who started a run.

/** The one way every page names who started a run. */
export function startedByLabel(run: { source: string; startedByEmail: string | null }): string {
  if (run.startedByEmail) return run.startedByEmail;
  const source = run.source as RunSource;
  if (source === "schedule") return "schedule timer";
  if (source === "jenkins") return "Jenkins";
  return "unknown";
}
