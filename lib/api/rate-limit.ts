// Per-token rate limit: a fixed one-minute window per token, in this process's memory. A busy
// script gets 429 with Retry-After instead of crowding Jenkins and the database; several portal
// processes would each allow the limit (the README says so).

const WINDOW_MS = 60_000;
const DEFAULT_PER_MINUTE = 120;

interface Window {
  start: number;
  count: number;
}

const globalForLimit = globalThis as unknown as { restoreDrillApiWindows?: Map<string, Window> };

export function apiRateLimit(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.API_RATE_LIMIT_PER_MINUTE);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_PER_MINUTE;
}

/** Counts one call; returns the seconds to wait when the token is over its limit, else 0. */
export function takeToken(tokenId: string, limit = apiRateLimit(), now = Date.now()): number {
  const windows = (globalForLimit.restoreDrillApiWindows ??= new Map());
  let w = windows.get(tokenId);
  if (!w || now - w.start >= WINDOW_MS) {
    w = { start: now, count: 0 };
    windows.set(tokenId, w);
    if (windows.size > 10_000) for (const [id, old] of windows) if (now - old.start >= WINDOW_MS) windows.delete(id);
  }
  w.count += 1;
  return w.count > limit ? Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)) : 0;
}
