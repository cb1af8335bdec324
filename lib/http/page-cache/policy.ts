import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { z } from "zod";

/**
 * Which answers the page cache may keep, and under which key.
 *
 * Only pages drawn from the portal's database alone: a write anywhere in it (by any replica)
 * invalidates them (lib/db/shared-read.ts, the same version). Pages that ask Jenkins (schedules,
 * credentials, run pages) are always rendered, as are pages that change without a database write.
 */
export const CACHED_PAGES: ReadonlySet<string> = new Set(["/", "/results", "/statistics"]);

/**
 * Request headers that do not change what Next renders: left out of the key. Every other header
 * is in it, the cookie above all, so an answer is only ever reused for the same session asking the
 * same thing the same way (a page load and a client navigation's RSC request are different keys).
 */
const NOT_IN_KEY = new Set([
  "accept-encoding",
  "connection",
  "keep-alive",
  "cache-control",
  "pragma",
  "if-none-match",
  "if-modified-since",
]);

export function isCacheableRequest(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !req.url || !req.headers.cookie) return false;
  // A reload the browser was told not to take from a cache (Ctrl+Shift+R) renders anew.
  if (/\bno-cache\b/i.test(String(req.headers["cache-control"] ?? "")) || /\bno-cache\b/i.test(String(req.headers.pragma ?? "")))
    return false;
  return CACHED_PAGES.has(pathOf(req.url));
}

/** Only a plain success is kept: never a redirect, an error, or an answer that sets a cookie. */
export function isCacheableAnswer(status: number, headers: Record<string, string | string[] | undefined>): boolean {
  const type = String(headers["content-type"] ?? "");
  return status === 200 && headers["set-cookie"] === undefined && (type.startsWith("text/html") || type.startsWith("text/x-component"));
}

export function cacheKey(req: IncomingMessage): string {
  const hash = createHash("sha256").update(`${req.method} ${req.url}\n`);
  for (const name of Object.keys(req.headers).sort()) if (!NOT_IN_KEY.has(name)) hash.update(`${name}: ${String(req.headers[name])}\n`);
  return hash.digest("base64url");
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

export function acceptsGzip(req: IncomingMessage): boolean {
  return String(req.headers["accept-encoding"] ?? "")
    .split(",")
    .some((part) => {
      const [coding, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return (coding === "gzip" || coding === "*") && (!q || Number(q.slice(2)) > 0);
    });
}

/**
 * PAGE_CACHE_SECONDS (default 30, 0 = off): how long a page may be reused while the database is
 * unchanged. It bounds how old the values a page computes from the clock may be ("missed since",
 * "last 24 h"); a database write makes every kept page stale at once.
 */
export const DEFAULT_PAGE_CACHE_SECONDS = 30;
const SECONDS_MESSAGE = "PAGE_CACHE_SECONDS must be a whole number of seconds from 0 (off) to 3600";
/** Checked at start-up with the other settings (lib/config/env.ts): a bad value stops the portal. */
export const pageCacheSecondsSchema = z.preprocess(
  (raw) => (typeof raw === "string" && raw.trim() === "" ? undefined : raw),
  z.coerce
    .number({ error: SECONDS_MESSAGE })
    .int(SECONDS_MESSAGE)
    .min(0, SECONDS_MESSAGE)
    .max(3600, SECONDS_MESSAGE)
    .default(DEFAULT_PAGE_CACHE_SECONDS),
);
export function pageCacheSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return pageCacheSecondsSchema.parse(env.PAGE_CACHE_SECONDS);
}
