import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { readSessionToken } from "@/lib/auth/session-token";
import { sessionExpiresAt } from "@/lib/auth/sessions";
import { db, type Db } from "@/lib/db/client";
import { databaseUrl, providerOf } from "@/lib/db/provider";
import { dataVersion } from "@/lib/db/data-version";
import { newNonce } from "@/lib/http/security-headers";
import { createPageCache, type PageCache } from "./page-cache";
import { pageCacheSeconds } from "./policy";

const INSTALLED = Symbol.for("restore-drill.page-cache");

/**
 * Puts the page cache in front of Next.js in this process (instrumentation.ts, production only).
 *
 * Next.js offers no hook that sees a dynamic page's rendered body, so the cache takes the
 * server's "request" event before Next.js does: http.Server.prototype.emit is wrapped once, and
 * every request the cache does not take goes to Next.js exactly as before. Only on PostgreSQL,
 * whose content version (lib/db/data-version.ts) tells "unchanged" for every replica at once;
 * SQLite installs render always.
 */
export function installPageCache(env: NodeJS.ProcessEnv = process.env): PageCache | null {
  const seconds = pageCacheSeconds(env);
  const url = databaseUrl(env);
  if (seconds === 0 || providerOf(url) !== "postgresql") return null;
  const servers = http.Server.prototype as http.Server & { [INSTALLED]?: PageCache };
  if (servers[INSTALLED]) return servers[INSTALLED];
  const cache = createPageCache({
    maxAgeMs: seconds * 1000,
    version: () => dataVersion(url).catch(() => null),
    sessionEnds: (req) => sessionEndsOf(db, req, env.NEXTAUTH_SECRET),
    newNonce,
  });
  putInFront(servers, cache);
  servers[INSTALLED] = cache;
  return cache;
}

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/** Wraps `emit` of a server (or of them all, on the prototype) so that the cache sees each request first. */
export function putInFront(server: http.Server, cache: PageCache): void {
  const emit = server.emit as Emit;
  server.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "request") return emit.apply(this, [event, ...args]);
    const [req, res] = args as [IncomingMessage, ServerResponse];
    if (!cache.takes(req)) return emit.call(this, event, req, res);
    void cache.answer(this, req, res, () => emit.call(this, event, req, res));
    return true;
  } as typeof server.emit;
}

/** The earlier of the session cookie's expiry and its server-side session's (lib/auth/sessions.ts). */
export async function sessionEndsOf(db: Db, req: IncomingMessage, secret: string | undefined): Promise<number | null> {
  const cookies = Object.fromEntries(
    (req.headers.cookie ?? "").split(";").flatMap((pair) => {
      const eq = pair.indexOf("=");
      return eq < 0 ? [] : [[pair.slice(0, eq).trim(), decodeURIComponent(pair.slice(eq + 1).trim())]];
    }),
  );
  const token = await readSessionToken(req.headers, cookies, secret);
  if (!token?.sub || typeof token.exp !== "number" || typeof token.sid !== "string") return null;
  const serverSide = await sessionExpiresAt(db, token.sid, token.sub);
  return serverSide ? Math.min(token.exp * 1000, serverSide.getTime()) : null;
}
