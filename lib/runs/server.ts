import { db } from "@/lib/db/client";
import { getJenkins, type JenkinsAdapter } from "@/lib/jenkins";
import { LiveRuns } from "./live";

// The run domain's process-wide objects for the Next.js server: the configured Jenkins and
// the one set of live watchers (kept on globalThis so dev hot reloads do not double them).

const globalForRuns = globalThis as unknown as { restoreDrillLiveRuns?: LiveRuns };

export function serverJenkins(): JenkinsAdapter {
  return getJenkins();
}

export function liveRuns(): LiveRuns {
  globalForRuns.restoreDrillLiveRuns ??= new LiveRuns({
    db,
    // Resolved per call, so that a missing JENKINS_URL surfaces as a fault, not at import.
    jenkins: lazyJenkins(),
    intervalMs: 500,
  });
  return globalForRuns.restoreDrillLiveRuns;
}

function lazyJenkins(): JenkinsAdapter {
  return new Proxy({} as JenkinsAdapter, {
    get: (_target, property) => {
      const adapter = getJenkins();
      const value = adapter[property as keyof JenkinsAdapter];
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(adapter) : value;
    },
  });
}
