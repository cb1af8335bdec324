import type { RunView } from "./view";
import { isOpenStatus } from "./status";

// The elapsed times of the run page: the header's clock and each stage card's. Computed in the
// browser once a second from the same view, so they must never go backwards between ticks.

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "" before a start is known; "…" while open but before the browser knows the time. */
export function elapsed(startedAt: string | null, finishedAt: string | null, now: number | null): string {
  if (!startedAt) return "";
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return end === null ? "…" : formatDuration(end - Date.parse(startedAt));
}

/** What the header's clock measures: the wait for Jenkins, or the build's time; ms null = not known yet. */
export interface ClockReading {
  waiting: boolean;
  ms: number | null;
}

type ClockRun = Pick<RunView, "status" | "createdAt" | "startedAt" | "finishedAt">;

/**
 * The build's own run time once Jenkins started it. Before that the wait since the request,
 * labelled as such, so the clock never jumps back to 0 s when the build leaves the queue.
 */
export function readRunClock(run: ClockRun, now: number | null): ClockReading {
  const from = run.startedAt ?? run.createdAt;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return { waiting: !run.startedAt && isOpenStatus(run.status), ms: end === null ? null : end - Date.parse(from) };
}

/**
 * The verdict reaches the browser a moment after the build ended, and the live clock ticked on
 * meanwhile: the header keeps the larger of the two rather than stepping back by that moment.
 */
export function steadyClock(shown: ClockReading | null, next: ClockReading): ClockReading {
  if (!shown || shown.waiting !== next.waiting || shown.ms === null || next.ms === null) return next;
  return next.ms < shown.ms ? shown : next;
}

export function formatClock(reading: ClockReading): string {
  if (reading.ms === null) return "…";
  return reading.waiting ? `waiting ${formatDuration(reading.ms)}` : formatDuration(reading.ms);
}
