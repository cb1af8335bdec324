import { connectionOf, type Db } from "./client";
import { dataVersion } from "./data-version";

/**
 * Reads that are the same for every user (dashboard aggregates, statistics, schedule lists) or
 * for every request of one session (its user), shared by the requests of this process while the
 * database has not changed.
 *
 * Under 50 users every page view ran the same dozen queries and built the same objects again. Here
 * each read first asks PostgreSQL for its content version (data-version.ts: one tiny query, moved
 * by every committed change of what the pages show, whichever process or replica made it): while it
 * is unchanged the previous answer is still the database's answer, and concurrent requests wait for
 * one load instead of each running it. A write committed before a request started always moves
 * the version, so nobody sees a page older than their own change (one exception, bounded: the
 * version moves a moment before the commit is visible, and a read in that moment keeps the older
 * answer for at most MAX_AGE_MS). Values derived from the clock ("missed since", "last 30 days")
 * are at most MAX_AGE_MS old. SQLite (single small installs) is read directly, uncached.
 *
 * Cached values are shared between requests: callers must not mutate them.
 */

/** How long a value computed from the clock may be reused while nothing was written. */
export const MAX_AGE_MS = 5_000;
/** Distinct keys kept (filters come from query strings, one per signed-in session): the oldest goes first. */
export const MAX_ENTRIES = 500;

interface Entry {
  version: string;
  at: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<object, Map<string, Entry>>();

export async function sharedRead<T>(db: Db, key: string, load: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  const connection = connectionOf(db);
  if (connection?.provider !== "postgresql") return load();
  // A server that cannot say (a standby in recovery, a dropped connection) is read directly.
  const version = await dataVersion(connection.url).catch(() => null);
  if (version === null) return load();
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.version === version && now() - hit.at < MAX_AGE_MS) return hit.value as Promise<T>;
  const value = load();
  const entry: Entry = { version, at: now(), value };
  cache.delete(key); // re-inserted last: Map order is the eviction order
  cache.set(key, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // A failed load is not kept: the next request tries again.
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}
