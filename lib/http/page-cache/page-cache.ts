import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipBody, plainBody, spliceBody, type SplicedBody } from "./body";
import { renderOwnPage, type RenderedPage } from "./own-render";
import { acceptsGzip, cacheKey, isCacheableAnswer, isCacheableRequest } from "./policy";

/**
 * Whole rendered pages, kept per session while the database is unchanged (issue #18: under 50
 * sessions nearly all of a page's cost was Next.js rendering the same page again).
 *
 * It sits in front of Next.js in the same process (install.ts). A page it may keep (policy.ts) is
 * answered from the cache when the database version is the one it was rendered at, it is younger
 * than maxAgeMs and the session is still open; otherwise the server renders it for the cache
 * (own-render.ts) and the cache answers. Every answer gets a new CSP nonce (body.ts).
 */
export interface PageCacheOptions {
  maxAgeMs: number;
  /** The database's content version now (lib/db/data-version.ts); null when it cannot say: nothing is kept. */
  version(): Promise<string | null>;
  /** When the request's session ends (ms since the epoch), or null: such answers are not kept. */
  sessionEnds(req: IncomingMessage): Promise<number | null>;
  newNonce(): string;
  maxBytes?: number;
  now?: () => number;
}

interface Entry {
  version: string;
  storedAt: number;
  sessionEnds: number;
  status: number;
  /** Next's headers, the nonce still in the CSP one; hop-by-hop and length headers left out. */
  headers: [string, string][];
  nonce: string;
  body: SplicedBody;
}

type Outcome = "hit" | "miss";
const OUTCOME_HEADER = "x-page-cache";
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const NOT_KEPT = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date"]);

export function createPageCache(options: PageCacheOptions) {
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // The cache's own renders carry this header, so that they go through to Next.js.
  const bypass = { name: "x-restore-drill-render", value: randomBytes(16).toString("hex") };
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const forget = (key: string) => {
    const entry = entries.get(key);
    if (entry) bytes -= entry.body.bytes;
    entries.delete(key);
  };
  const remember = (key: string, entry: Entry) => {
    forget(key);
    entries.set(key, entry); // last in Map order: the oldest go first
    bytes += entry.body.bytes;
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      forget(oldest);
    }
  };

  /** True when the cache answers this request; false: Next.js does, as without the cache. */
  function takes(req: IncomingMessage): boolean {
    if (req.headers[bypass.name] === bypass.value) {
      delete req.headers[bypass.name];
      return false;
    }
    return isCacheableRequest(req);
  }

  async function answer(server: http.Server, req: IncomingMessage, res: ServerResponse, passOn: () => void): Promise<void> {
    try {
      const version = await options.version();
      if (version === null) return passOn();
      const key = cacheKey(req);
      const kept = entries.get(key);
      const at = now();
      if (kept && kept.version === version && at - kept.storedAt < options.maxAgeMs && at < kept.sessionEnds)
        return send(res, req, kept, "hit");
      forget(key);
      const page = await renderOwnPage(server, req, bypass);
      const entry = isCacheableAnswer(page.status, page.headers) ? await entryOf(page, version, at, req) : null;
      if (!entry) return sendAsIs(res, page);
      remember(key, entry);
      send(res, req, entry, "miss");
    } catch {
      // The cache could not answer (the database or the loopback render failed): Next.js does,
      // on a clean answer.
      if (res.headersSent) return;
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      passOn();
    }
  }

  async function entryOf(page: RenderedPage, version: string, at: number, req: IncomingMessage): Promise<Entry | null> {
    const nonce = /'nonce-([^']+)'/.exec(String(page.headers["content-security-policy"] ?? ""))?.[1];
    const sessionEnds = await options.sessionEnds(req);
    if (!nonce || sessionEnds === null) return null;
    const headers = Object.entries(page.headers).flatMap(([name, value]): [string, string][] =>
      NOT_KEPT.has(name) || value === undefined ? [] : [[name, String(value)]],
    );
    return { version, storedAt: at, sessionEnds, status: page.status, headers, nonce, body: spliceBody(page.body, nonce) };
  }

  function send(res: ServerResponse, req: IncomingMessage, entry: Entry, outcome: Outcome): void {
    const nonce = options.newNonce();
    const gzip = acceptsGzip(req);
    const body = gzip ? gzipBody(entry.body, nonce) : plainBody(entry.body, nonce);
    res.statusCode = entry.status;
    for (const [name, value] of entry.headers) res.setHeader(name, value.split(entry.nonce).join(nonce));
    const vary = entry.headers.find(([name]) => name === "vary")?.[1];
    res.setHeader("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    if (gzip) res.setHeader("content-encoding", "gzip");
    res.setHeader("content-length", body.length);
    res.setHeader(OUTCOME_HEADER, outcome);
    res.end(body);
  }

  return { takes, answer };
}

/** An answer the cache does not keep (a redirect, an error), passed on unchanged. */
function sendAsIs(res: ServerResponse, page: RenderedPage): void {
  res.statusCode = page.status;
  for (const [name, value] of Object.entries(page.headers)) if (!NOT_KEPT.has(name) && value !== undefined) res.setHeader(name, value);
  res.setHeader("content-length", page.body.length);
  res.end(page.body);
}

export type PageCache = ReturnType<typeof createPageCache>;
