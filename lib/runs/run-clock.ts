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

/**
 * The header's clock: the build's own run time once Jenkins started it. Before that it counts the
 * wait since the request, labelled as such, so the clock never jumps back to 0 s when the build
 * leaves the queue.
 */
export function runClock(run: Pick<RunView, "status" | "createdAt" | "startedAt" | "finishedAt">, now: number | null): string {
  if (run.startedAt) return elapsed(run.startedAt, run.finishedAt, now);
  const waited = elapsed(run.createdAt, run.finishedAt, now);
  return isOpenStatus(run.status) && waited ? `waiting ${waited}` : waited;
}
