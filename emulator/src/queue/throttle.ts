import type { Job } from "../model/items";
import type { ComputerNode } from "./nodes";

// throttle-concurrents' ThrottleQueueTaskDispatcher, for freestyle jobs:
//   - canRun (whole Jenkins): option "project" caps the job's builds over all nodes at
//     maxConcurrentTotal; option "category" caps the builds of every job in the category at the
//     category's maxConcurrentTotal.
//   - canTake (one node): the same with maxConcurrentPerNode, counted on that node.
// 0 means no cap. A category a job names but the global configuration does not define is
// ignored (getCategoryByName returns null), as in the plugin. Label-specific pairs
// (nodeLabeledPairs) are not emulated.

/** The job's ThrottleJobProperty, when throttleEnabled. */
export type JobThrottle =
  { option: "project"; maxConcurrentPerNode: number; maxConcurrentTotal: number } | { option: "category"; categories: string[] };

/** A category of the plugin's global configuration (JCasC: unclassified.throttleJobProperty.categories). */
export interface ThrottleCategory {
  name: string;
  maxConcurrentPerNode: number;
  maxConcurrentTotal: number;
}

export interface ThrottleView {
  nodes: ComputerNode[];
  categories: ThrottleCategory[];
  /** The jobs of the builds running on the node now, one entry per build. */
  runningOn(node: ComputerNode): Job[];
}

/** Messages.properties of the plugin. */
const onNode = (count: number) => `Already running ${count} builds on node`;
const acrossNodes = (count: number) => `Already running ${count} builds across all nodes`;

type Cap = { counts: (job: Job) => boolean; max: number };

/** The caps a job is under: one for the job alone, or one per defined category it names. */
function capsOf(job: Job, view: ThrottleView, which: "maxConcurrentPerNode" | "maxConcurrentTotal"): Cap[] {
  const throttle = job.def.throttle;
  if (!throttle) return [];
  if (throttle.option === "project") return [{ counts: (other) => other === job, max: throttle[which] }];
  return throttle.categories.flatMap((name) => {
    const category = view.categories.find((c) => c.name === name);
    if (!category) return [];
    const inCategory = (other: Job) => other.def.throttle?.option === "category" && other.def.throttle.categories.includes(name);
    return [{ counts: inCategory, max: category[which] }];
  });
}

/** ThrottleQueueTaskDispatcher.canRun: null when the job may start somewhere, else why not. */
export function throttleCanRun(job: Job, view: ThrottleView): string | null {
  const running = view.nodes.flatMap((node) => view.runningOn(node));
  for (const cap of capsOf(job, view, "maxConcurrentTotal")) {
    const count = running.filter(cap.counts).length;
    if (cap.max > 0 && count >= cap.max) return acrossNodes(count);
  }
  return null;
}

/** ThrottleQueueTaskDispatcher.canTake: null when the node may take the job now, else why not. */
export function throttleCanTake(job: Job, node: ComputerNode, view: ThrottleView): string | null {
  const running = view.runningOn(node);
  for (const cap of capsOf(job, view, "maxConcurrentPerNode")) {
    const count = running.filter(cap.counts).length;
    if (cap.max > 0 && count >= cap.max) return onNode(count);
  }
  return null;
}
