import type { ItemStore, Job } from "../model/items";

const DAY_MS = 24 * 60 * 60_000;

/** hudson.tasks.LogRotator.perform: never removes the last successful/stable build, kept or running builds. */
export function discardOldBuilds(store: ItemStore, job: Job): void {
  const d = job.def.discarder;
  if (!d) return;
  const builds = job.sortedBuilds();
  const lastSuccessful = builds.find((b) => !b.building && (b.result === "SUCCESS" || b.result === "UNSTABLE"));
  const lastStable = builds.find((b) => !b.building && b.result === "SUCCESS");
  const keep = (b: (typeof builds)[number]) => b.keepLog || b.building || b === lastSuccessful || b === lastStable;
  const doomed = new Set<number>();
  if (d.numToKeep >= 0) for (const b of builds.slice(d.numToKeep)) if (!keep(b)) doomed.add(b.number);
  if (d.daysToKeep >= 0) {
    const cutoff = Date.now() - d.daysToKeep * DAY_MS;
    for (const b of builds) if (b.timestamp < cutoff && !keep(b)) doomed.add(b.number);
  }
  for (const n of doomed) store.deleteBuild(job, n);
}
