import type { Job } from "../model/items";

// throttle-concurrents' ThrottleQueueTaskDispatcher for freestyle jobs: option "project" caps the
// job's own builds; option "category" caps the builds, on one node (canTake) and on all nodes
// (canRun), of every job that names the category, with the limits of the category's GLOBAL
// configuration (ThrottleJobProperty.DescriptorImpl.categories, JCasC unclassified:
// throttleJobProperty). A category that is not configured throttles nothing, as in the plugin.

/** The job's ThrottleJobProperty, when enabled. */
export type JobThrottle = { option: "project"; maxPerNode: number; maxTotal: number } | { option: "category"; categories: string[] };

/** One global category (ThrottleCategory); 0 means no limit. */
export interface ThrottleCategory {
  name: string;
  maxConcurrentPerNode: number;
  maxConcurrentTotal: number;
}

/** The queue's "why" when the node may not take the job now, undefined when it may. */
export function throttleBlocks(job: Job, onNode: Job[], everywhere: Job[], categories: ThrottleCategory[]): string | undefined {
  const throttle = job.def.throttle;
  if (!throttle) return undefined;
  if (throttle.option === "project") {
    const here = onNode.filter((j) => j === job).length;
    if (throttle.maxPerNode > 0 && here >= throttle.maxPerNode)
      return `Reached maximum capacity of ${throttle.maxPerNode} build(s) of this project per node`;
    const total = everywhere.filter((j) => j === job).length;
    if (throttle.maxTotal > 0 && total >= throttle.maxTotal) return `Already running ${total} builds across all nodes`;
    return undefined;
  }
  const inCategory = (name: string) => (j: Job) => j.def.throttle?.option === "category" && j.def.throttle.categories.includes(name);
  for (const name of throttle.categories) {
    const category = categories.find((c) => c.name === name);
    if (!category) continue;
    const here = onNode.filter(inCategory(name)).length;
    if (category.maxConcurrentPerNode > 0 && here >= category.maxConcurrentPerNode)
      return `Reached maximum capacity of ${category.maxConcurrentPerNode} build(s) of category ${name} per node`;
    const total = everywhere.filter(inCategory(name)).length;
    if (category.maxConcurrentTotal > 0 && total >= category.maxConcurrentTotal) return `Already running ${total} builds across all nodes`;
  }
  return undefined;
}
