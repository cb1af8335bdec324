import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { encode } from "next-auth/jwt";
import { openSession } from "@/lib/auth/sessions";
import { dataVersion } from "@/lib/db/data-version";
import { putInFront, sessionEndsOf } from "@/lib/http/page-cache/install";
import { createPageCache } from "@/lib/http/page-cache/page-cache";
import { newNonce } from "@/lib/http/security-headers";
import { freshDatabase, type TestDatabase } from "../../support/databases";
import { scheduleRow } from "../../support/schedule-row";

// The page cache (lib/http/page-cache) in front of a real HTTP server on a real PostgreSQL. The
// server stands in for Next.js: each render reads the schedules, counts itself and puts a new
// nonce in its CSP header and scripts, as proxy.ts and Next.js do.

const SESSION = "next-auth.session-token=session-a";
const OTHER_SESSION = "next-auth.session-token=session-b";

describe("the page cache in front of a server, on postgresql", () => {
  let t: TestDatabase;
  let server: http.Server;
  let base: string;
  let renders: number;
  let clock: number;
  let sessionEnds: number | null;

  beforeEach(async () => {
    t = await freshDatabase("postgresql");
    renders = 0;
    clock = 1_000_000;
    sessionEnds = clock + 3_600_000;
    server = http.createServer(async (req, res) => {
      renders++;
      const url = new URL(req.url!, "http://x");
      const names = (await t.db.schedule.findMany({ orderBy: { name: "asc" } })).map((s) => s.name).join(",");
      if (url.searchParams.has("redirect")) return res.writeHead(307, { location: "/signin" }).end();
      const nonce = newNonce();
      const headers: http.OutgoingHttpHeaders = {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": `script-src 'self' 'nonce-${nonce}'`,
        vary: "rsc",
        "x-seen-encoding": String(req.headers["accept-encoding"] ?? "none"),
      };
      if (url.searchParams.has("cookie")) headers["set-cookie"] = "flash=1";
      res
        .writeHead(200, headers)
        .end(`<html><script nonce="${nonce}">go()</script><p>${names}</p><p>render ${renders}</p>${"<i>row</i>".repeat(2000)}</html>`);
    });
    const cache = createPageCache({
      maxAgeMs: 30_000,
      version: () => dataVersion(t.url),
      sessionEnds: async () => sessionEnds,
      newNonce,
      now: () => clock,
    });
    putInFront(server, cache);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await get("/account"); // not a kept page: rendered, and its render counted
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.drop();
  });

  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(base + path, { headers: { cookie: SESSION, "accept-encoding": "identity", ...headers } });
    const body = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    return { status: res.status, outcome: res.headers.get("x-page-cache"), body, nonce, headers: res.headers };
  }

  it("should answer a repeated page from the cache, with a nonce of its own that the CSP header and the scripts agree on", async () => {
    const first = await get("/");
    const second = await get("/");
    expect([first.outcome, second.outcome]).toEqual(["miss", "hit"]);
    expect(renders).toBe(2); // the settling /account and one render of /
    expect(second.nonce).not.toBe(first.nonce);
    expect(second.body).toContain(`<script nonce="${second.nonce}">`);
    expect(second.body.replace(second.nonce!, first.nonce!)).toBe(first.body);
    expect(second.headers.get("vary")).toBe("rsc, Accept-Encoding");
  });

  it("should compress for clients that take gzip, and render uncompressed for itself", async () => {
    const res = await fetch(`${base}/results`, { headers: { cookie: SESSION } }); // fetch asks for gzip and unpacks it
    const plain = await get("/results");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("x-seen-encoding")).toBe("none");
    expect(Number(res.headers.get("content-length"))).toBeLessThan(plain.body.length / 10);
    const text = await res.text();
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
    expect(text.replace(nonce, plain.nonce!)).toBe(plain.body);
    const raw = await new Promise<Buffer>((resolve) =>
      http.get(`${base}/results`, { headers: { cookie: SESSION, "accept-encoding": "gzip" } }, (r) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks)));
      }),
    );
    // Another client (other headers: another key) gets a render of its own, as valid gzip.
    expect(zlib.gunzipSync(raw).toString()).toContain("<p>render 3</p>");
  });

  it("should render again after a write to the database", async () => {
    await get("/statistics");
    await t.db.schedule.create({ data: scheduleRow("alpha") });
    const after = await get("/statistics");
    expect(after.outcome).toBe("miss");
    expect(after.body).toContain("<p>alpha</p>");
    expect((await get("/statistics")).outcome).toBe("hit");
  });

  it("should keep each session's pages apart, and each URL's", async () => {
    await get("/");
    expect((await get("/", { cookie: OTHER_SESSION })).outcome).toBe("miss");
    expect((await get("/?verdict=failed")).outcome).toBe("miss");
    expect((await get("/", { rsc: "1" })).outcome).toBe("miss");
    expect((await get("/")).outcome).toBe("hit");
  });

  it("should render again once a page is maxAgeMs old, when the session has ended, and on a no-cache reload", async () => {
    await get("/");
    clock += 29_999;
    expect((await get("/")).outcome).toBe("hit");
    clock += 1;
    expect((await get("/")).outcome).toBe("miss");
    expect((await get("/", { "cache-control": "no-cache" })).outcome).toBeNull();
    sessionEnds = clock + 10;
    clock += 30_000;
    await get("/");
    clock += 10;
    expect((await get("/")).outcome).toBe("miss");
    sessionEnds = null; // no open session: nothing is kept, each answer is a render
    const before = renders;
    expect((await get("/results")).outcome).toBeNull();
    expect((await get("/results")).outcome).toBeNull();
    expect(renders).toBe(before + 2);
  });

  it("should pass redirects, cookies and other pages through unchanged and keep none of them", async () => {
    const redirect = await fetch(`${base}/?redirect=1`, { headers: { cookie: SESSION }, redirect: "manual" });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe("/signin");
    const withCookie = await get("/statistics?cookie=1");
    expect(withCookie.headers.get("set-cookie")).toBe("flash=1");
    expect((await get("/statistics?cookie=1")).body).toContain("render");
    const before = renders;
    await get("/statistics?cookie=1");
    expect(renders).toBe(before + 1);
    const account = await get("/account");
    expect(account.outcome).toBeNull();
    expect((await get("/", { cookie: "" })).outcome).toBeNull();
  });

  it("should let the server answer itself when the database cannot say its version", async () => {
    const blind = http.createServer((_req, res) => res.end("next.js"));
    putInFront(blind, createPageCache({ maxAgeMs: 30_000, version: async () => null, sessionEnds: async () => sessionEnds, newNonce }));
    await new Promise<void>((resolve) => blind.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(blind.address() as AddressInfo).port}/`, { headers: { cookie: SESSION } });
      expect([await res.text(), res.headers.get("x-page-cache")]).toEqual(["next.js", null]);
    } finally {
      await new Promise((resolve) => blind.close(resolve));
    }
  });

  it("should end a kept page with its session: the earlier of the cookie's expiry and the server-side session's", async () => {
    const user = await t.db.user.create({ data: { email: "ann@example.test", name: "Ann", role: "user", passwordHash: "x" } });
    const secret = "s".repeat(40);
    const sid = await openSession(t.db, user.id);
    const cookieFor = async (token: Record<string, unknown>, maxAge: number) =>
      `next-auth.session-token=${await encode({ token, secret, maxAge })}`;
    const ends = (cookie: string) => sessionEndsOf(t.db, { headers: { cookie } } as http.IncomingMessage, secret);
    const row = await t.db.session.findFirstOrThrow();
    expect(await ends(await cookieFor({ sub: user.id, sid }, 365 * 86_400))).toBe(row.expiresAt.getTime());
    const soon = await ends(await cookieFor({ sub: user.id, sid }, 60));
    expect(soon).toBeLessThan(row.expiresAt.getTime());
    expect(soon).toBeGreaterThan(Date.now());
    expect(await ends(await cookieFor({ sub: "someone-else", sid }, 60))).toBeNull();
    expect(await ends(await cookieFor({ sub: user.id, sid: "unknown" }, 60))).toBeNull();
    expect(await ends("next-auth.session-token=garbage")).toBeNull();
    await t.db.session.deleteMany();
    expect(await ends(await cookieFor({ sub: user.id, sid }, 60))).toBeNull();
  });
});
