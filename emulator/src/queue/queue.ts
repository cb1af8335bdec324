import type { BuildRecord, Cause, ParameterValue } from "../model/build-record";
import { identityOf } from "../runner/parameters";
import type { Job } from "../model/items";
import type { ComputerNode } from "./nodes";
import { throttleCanRun, throttleCanTake, type ThrottleView } from "./throttle";

// hudson.model.Queue: waiting (quiet period) → blocked/buildable → left.
// Left items stay visible for 5 minutes so clients can find `executable`.

export const LEFT_ITEM_TTL_MS = 5 * 60_000;

export type QueueState = "waiting" | "blocked" | "buildable" | "left";

export interface QueueItem {
  id: number;
  job: Job;
  parameters: ParameterValue[] | null;
  /**
   * Values the job does not define, given by an upstream trigger: Jenkins keeps them in the queued
   * ParametersAction (it filters only once attached to a build), so they count when
   * ParametersAction.shouldSchedule compares queued items; the build never sees them.
   */
  undeclared: ParameterValue[];
  /** A LabelAssignmentAction's label (parameterized-trigger's NodeAction); overrides the job's label. */
  assignedLabel?: string;
  causes: Cause[];
  inQueueSince: number;
  dueAt: number;
  state: QueueState;
  why: string | null;
  buildableSince?: number;
  leftAt?: number;
  cancelled: boolean;
  executable?: { job: Job; number: number };
  started: Promise<{ job: Job; number: number } | undefined>;
  completed: Promise<BuildRecord | undefined>;
  resolveStarted(value: { job: Job; number: number } | undefined): void;
  resolveCompleted(value: BuildRecord | undefined): void;
}

export interface QueueHost {
  nodes: ComputerNode[];
  isBuilding(job: Job): number | undefined;
  /** What throttle-concurrents counts: the builds on each node and the global categories. */
  throttle: ThrottleView;
  /** Starts the build on the executor and returns its number. */
  startBuild(item: QueueItem, node: ComputerNode, executor: number): number;
  nextQueueId(): number;
  /** true while the emulated Jenkins is "restarting": nothing leaves the queue */
  paused(): boolean;
}

function sameParameters(a: ParameterValue[] | null, b: ParameterValue[] | null): boolean {
  const key = (p: ParameterValue[] | null) => JSON.stringify((p ?? []).map(identityOf).sort());
  return key(a) === key(b);
}

/** Util.getTimeSpanString as used in "Expires in 4.9 sec". */
export function timeSpan(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} sec`;
  if (s >= 10) return `${s} sec`;
  if (s >= 1) return `${(Math.floor(ms / 100) / 10).toFixed(1)} sec`;
  if (ms >= 100) return `${(Math.floor(ms / 10) / 100).toFixed(2)} sec`;
  return `${ms} ms`;
}

export class BuildQueue {
  private readonly items: QueueItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private maintaining = false;

  constructor(private readonly host: QueueHost) {}

  start(): void {
    this.timer = setInterval(() => this.maintain(), 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const item of this.pending()) this.cancel(item);
  }

  /** Queue.schedule2: returns the existing item (created=false) when an identical one is still queued. */
  schedule(
    job: Job,
    parameters: ParameterValue[] | null,
    causes: Cause[],
    quietPeriodMs: number,
    assignedLabel?: string,
    undeclared: ParameterValue[] = [],
  ): { item: QueueItem; created: boolean } {
    const raw = (item: { parameters: ParameterValue[] | null; undeclared: ParameterValue[] }) =>
      item.parameters === null && item.undeclared.length === 0 ? null : [...(item.parameters ?? []), ...item.undeclared];
    const existing = this.pending().find(
      (i) => i.job === job && i.assignedLabel === assignedLabel && sameParameters(raw(i), raw({ parameters, undeclared })),
    );
    if (existing) {
      existing.causes.push(...causes);
      return { item: existing, created: false };
    }
    const now = Date.now();
    let resolveStarted!: QueueItem["resolveStarted"];
    let resolveCompleted!: QueueItem["resolveCompleted"];
    const item: QueueItem = {
      id: this.host.nextQueueId(),
      job,
      parameters,
      undeclared,
      assignedLabel,
      causes,
      inQueueSince: now,
      dueAt: now + quietPeriodMs,
      state: "waiting",
      why: null,
      cancelled: false,
      started: new Promise((r) => (resolveStarted = r)),
      completed: new Promise((r) => (resolveCompleted = r)),
      resolveStarted: (v) => resolveStarted(v),
      resolveCompleted: (v) => resolveCompleted(v),
    };
    this.items.push(item);
    this.maintain();
    return { item, created: true };
  }

  get(id: number): QueueItem | undefined {
    this.expireLeftItems();
    return this.items.find((i) => i.id === id);
  }

  pending(): QueueItem[] {
    return this.items.filter((i) => i.state !== "left");
  }

  cancel(item: QueueItem): boolean {
    if (item.state === "left") return false;
    item.state = "left";
    item.cancelled = true;
    item.leftAt = Date.now();
    item.why = null;
    item.resolveStarted(undefined);
    item.resolveCompleted(undefined);
    return true;
  }

  /** Drops queued items of a deleted job. */
  forgetJob(job: Job): void {
    for (const item of this.pending().filter((i) => i.job === job)) this.cancel(item);
  }

  private expireLeftItems(): void {
    const cutoff = Date.now() - LEFT_ITEM_TTL_MS;
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i]!;
      if (item.state === "left" && (item.leftAt ?? 0) < cutoff) this.items.splice(i, 1);
    }
  }

  maintain(): void {
    if (this.maintaining || this.host.paused()) return;
    this.maintaining = true;
    try {
      this.expireLeftItems();
      const now = Date.now();
      const startedThisRound = new Set<Job>();
      for (const item of this.pending()) {
        if (item.state === "waiting") {
          if (item.dueAt > now) {
            item.why = `In the quiet period. Expires in ${timeSpan(item.dueAt - now)}`;
            continue;
          }
          item.state = "buildable";
          item.buildableSince = now;
        }
        const running = this.host.isBuilding(item.job);
        if (!item.job.def.concurrentBuild && (running !== undefined || startedThisRound.has(item.job))) {
          item.state = "blocked";
          item.why = `Build #${running ?? item.job.nextBuildNumber - 1} is already in progress (ETA: N/A)`;
          continue;
        }
        item.state = "buildable";
        // Queue.Item.getAssignedLabel: a LabelAssignmentAction wins over the job's own label.
        const label = item.assignedLabel ?? item.job.def.assignedNode;
        const candidates = this.host.nodes.filter((n) => n.matches(label));
        if (candidates.length === 0) {
          item.why = `There are no nodes with the label ‘${label}’`;
          continue;
        }
        const blocked = throttleCanRun(item.job, this.host.throttle);
        if (blocked) {
          item.state = "blocked";
          item.why = blocked;
          continue;
        }
        // Queue.maintain asks each idle executor's node (JobOffer) and keeps the reasons they refused.
        const refusals = new Set<string>();
        let started = false;
        for (const node of candidates) {
          if (node.busyExecutors() >= node.config.executors) continue;
          const refused = throttleCanTake(item.job, node, this.host.throttle);
          if (refused) {
            refusals.add(refused);
            continue;
          }
          const executor = node.acquire();
          if (executor === undefined) continue;
          item.state = "left";
          item.leftAt = now;
          item.why = null;
          const number = this.host.startBuild(item, node, executor);
          item.executable = { job: item.job, number };
          startedThisRound.add(item.job);
          started = true;
          break;
        }
        // BuildableItem.getCauseOfBlockage: the refusals (CompositeCauseOfBlockage, sorted, "; ") while
        // an executor is idle, else the label is busy.
        if (!started && refusals.size > 0) item.why = [...refusals].sort().join("; ");
        else if (!started) item.why = label ? `Waiting for next available executor on ‘${label}’` : "Waiting for next available executor";
      }
    } finally {
      this.maintaining = false;
    }
  }
}
