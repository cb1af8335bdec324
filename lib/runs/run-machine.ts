import { isOpenStatus, type RunStatus } from "./status";
import type { StageStatus, StageView } from "./stages";

// The run page's one state machine. Every snapshot the page receives (the server render, each
// server-sent "run" event, a refetch on focus) goes through `advanceRun`, and the header, the
// stage cards and the Stop button are all read from its result by `runPhase` — so the header can
// never say "Starting the pipeline" while the cards show every stage passed.
//
// Snapshots can arrive out of order (a reconnect replays an older row, the live poller and the
// callback race), so the machine is monotone:
//   status:  queued → running → a final status; a final status never reopens.
//   stages:  pending → running → a final stage status; never backwards.
//   times:   a stage's times are taken from the first snapshot that shows it finished and then
//            kept, so its duration cannot shrink on the page. Why it used to: while open, stage
//            times are the portal's observation of the pipeline console (they include the
//            downstream build's queue wait and the poll lag), and once the report is in they are
//            replaced by the stage script's own clock — Deploy 12 s then 7 s.

/** Subset of RunView the machine reads; RunView satisfies it. */
export interface MachineRun {
  status: RunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  stages: StageView[];
}

const STAGE_RANK: Record<StageStatus, number> = { pending: 0, running: 1, passed: 2, failed: 2, "could-not-verify": 2, skipped: 2 };
const runRank = (status: RunStatus) => (status === "queued" ? 0 : status === "running" ? 1 : 2);

function advanceStage(prev: StageView | undefined, next: StageView): StageView {
  if (!prev) return next;
  const prevRank = STAGE_RANK[prev.status];
  const nextRank = STAGE_RANK[next.status];
  if (nextRank < prevRank) return prev; // an older snapshot
  if (prevRank === 2) {
    // Already finished on this page: keep its times (fill what was unknown), take a corrected verdict.
    return { ...prev, status: next.status, startedAt: prev.startedAt ?? next.startedAt, finishedAt: prev.finishedAt ?? next.finishedAt };
  }
  // A running stage keeps the start it was first seen with, so its ticking time never jumps back.
  return { ...next, startedAt: prev.startedAt ?? next.startedAt };
}

/** The state after a snapshot arrives. Returns `prev` itself when the snapshot is older. */
export function advanceRun<R extends MachineRun>(prev: R, next: R): R {
  if (runRank(next.status) < runRank(prev.status)) return prev;
  if (!isOpenStatus(prev.status) && next.status !== prev.status) return prev; // a final verdict stands
  const stages = next.stages.map((stage) =>
    advanceStage(
      prev.stages.find((s) => s.name === stage.name),
      stage,
    ),
  );
  return { ...next, startedAt: prev.startedAt ?? next.startedAt, stages };
}

export type RunPhase =
  | { kind: "queued"; canStop: true }
  | { kind: "starting"; canStop: true }
  | { kind: "stage"; stage: string; canStop: true }
  | { kind: "finishing"; canStop: false }
  | { kind: "done"; canStop: false };

/**
 * What the header says, from the same stages the cards show. "finishing" is the gap between the
 * last stage card turning final and the verdict arriving (report, callback): nothing is left to
 * stop then, so Stop is not offered.
 */
export function runPhase(run: MachineRun): RunPhase {
  if (!isOpenStatus(run.status)) return { kind: "done", canStop: false };
  const running = run.stages.find((s) => s.status === "running");
  if (running) return { kind: "stage", stage: running.name, canStop: true };
  const final = run.stages.filter((s) => STAGE_RANK[s.status] === 2).length;
  if (run.stages.length > 0 && final === run.stages.length) return { kind: "finishing", canStop: false };
  if (run.status === "queued" && final === 0) return { kind: "queued", canStop: true };
  // Some stage finished and the next one has not shown yet: still inside the pipeline.
  const nextStage = run.stages.find((s) => s.status === "pending");
  if (final > 0 && nextStage) return { kind: "stage", stage: nextStage.name, canStop: true };
  return { kind: "starting", canStop: true };
}

/** Header label and sentence for an open run's phase. */
export function phaseText(phase: RunPhase): { label: string; detail: string } | null {
  switch (phase.kind) {
    case "queued":
      return {
        label: "Waiting for Jenkins",
        detail: "Jenkins has the build in its queue; it starts when an agent labelled restore-drill is free.",
      };
    case "starting":
      return { label: "Running", detail: "Starting the pipeline." };
    case "stage":
      return { label: "Running", detail: `Now: ${phase.stage}.` };
    case "finishing":
      return { label: "Finishing", detail: "Every stage has finished; waiting for the report and the verdict." };
    case "done":
      return null;
  }
}
