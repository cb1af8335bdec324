import type { IncomingMessage } from "node:http";
import { acceptsGzip, cacheKey, isCacheableAnswer, isCacheableRequest, pageCacheSeconds } from "@/lib/http/page-cache/policy";

const request = (url: string, headers: Record<string, string> = {}, method = "GET") =>
  ({ method, url, headers: { cookie: "next-auth.session-token=abc", ...headers } }) as unknown as IncomingMessage;

describe("what the page cache keeps (lib/http/page-cache/policy.ts)", () => {
  it("should take only signed-in GETs of the database-only pages", () => {
    expect(isCacheableRequest(request("/"))).toBe(true);
    expect(isCacheableRequest(request("/results?verdict=failed"))).toBe(true);
    expect(isCacheableRequest(request("/statistics?_rsc=1x2y"))).toBe(true);
    expect(isCacheableRequest(request("/schedules"))).toBe(false); // asks Jenkins
    expect(isCacheableRequest(request("/runs/abc"))).toBe(false);
    expect(isCacheableRequest(request("/results/more"))).toBe(false);
    expect(isCacheableRequest(request("/", {}, "POST"))).toBe(false);
    expect(isCacheableRequest(request("/", {}, "HEAD"))).toBe(false);
    expect(isCacheableRequest({ method: "GET", url: "/", headers: {} } as IncomingMessage)).toBe(false);
  });

  it("should render anew a reload that asks for no cache", () => {
    expect(isCacheableRequest(request("/", { "cache-control": "no-cache" }))).toBe(false);
    expect(isCacheableRequest(request("/", { pragma: "no-cache" }))).toBe(false);
    expect(isCacheableRequest(request("/", { "cache-control": "max-age=0" }))).toBe(true);
  });

  it("should keep only plain successes that set no cookie", () => {
    expect(isCacheableAnswer(200, { "content-type": "text/html; charset=utf-8" })).toBe(true);
    expect(isCacheableAnswer(200, { "content-type": "text/x-component" })).toBe(true);
    expect(isCacheableAnswer(200, { "content-type": "application/json" })).toBe(false);
    expect(isCacheableAnswer(307, { "content-type": "text/html" })).toBe(false);
    expect(isCacheableAnswer(500, { "content-type": "text/html" })).toBe(false);
    expect(isCacheableAnswer(200, { "content-type": "text/html", "set-cookie": ["a=b"] })).toBe(false);
  });

  it("should key on the session, the URL and how Next.js is asked, not on the encoding", () => {
    const key = cacheKey(request("/", { rsc: "1" }));
    expect(cacheKey(request("/", { rsc: "1", "accept-encoding": "gzip" }))).toBe(key);
    expect(cacheKey(request("/", { rsc: "1", "cache-control": "max-age=0" }))).toBe(key);
    expect(cacheKey(request("/", { rsc: "1", cookie: "next-auth.session-token=other" }))).not.toBe(key);
    expect(cacheKey(request("/"))).not.toBe(key);
    expect(cacheKey(request("/?a=1", { rsc: "1" }))).not.toBe(key);
    expect(cacheKey(request("/", { rsc: "1", "next-router-state-tree": "%5B%5D" }))).not.toBe(key);
  });

  it("should read Accept-Encoding as HTTP means it", () => {
    expect(acceptsGzip(request("/", { "accept-encoding": "gzip, deflate, br" }))).toBe(true);
    expect(acceptsGzip(request("/", { "accept-encoding": "br;q=1.0, GZIP;q=0.5" }))).toBe(true);
    expect(acceptsGzip(request("/", { "accept-encoding": "*" }))).toBe(true);
    expect(acceptsGzip(request("/", { "accept-encoding": "gzip;q=0, br" }))).toBe(false);
    expect(acceptsGzip(request("/", { "accept-encoding": "identity" }))).toBe(false);
    expect(acceptsGzip(request("/"))).toBe(false);
  });

  it("should read PAGE_CACHE_SECONDS with 30 by default and 0 as off, and refuse anything else", () => {
    expect(pageCacheSeconds({} as NodeJS.ProcessEnv)).toBe(30);
    expect(pageCacheSeconds({ PAGE_CACHE_SECONDS: " " } as unknown as NodeJS.ProcessEnv)).toBe(30);
    expect(pageCacheSeconds({ PAGE_CACHE_SECONDS: "0" } as unknown as NodeJS.ProcessEnv)).toBe(0);
    expect(pageCacheSeconds({ PAGE_CACHE_SECONDS: "120" } as unknown as NodeJS.ProcessEnv)).toBe(120);
    for (const bad of ["-1", "1.5", "ten", "3601"])
      expect(() => pageCacheSeconds({ PAGE_CACHE_SECONDS: bad } as unknown as NodeJS.ProcessEnv)).toThrow(/PAGE_CACHE_SECONDS must be/);
  });
});
