import http from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for JENKINS_URL that only counts: every request is recorded and answered 503, so
// a page that asked Jenkins anything would show up here (and could not get an answer either).

export interface JenkinsRequest {
  /** performance.now() of this process when the request arrived */
  at: number;
  method: string;
  path: string;
}

export interface JenkinsCounter {
  url: string;
  requests: JenkinsRequest[];
  /** Requests that arrived in [from, to] (performance.now() times). */
  between(from: number, to: number): JenkinsRequest[];
  /** Resolves once no request has arrived for quietMs (background start-up rounds are over). */
  quiet(quietMs: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startJenkinsCounter(): Promise<JenkinsCounter> {
  const requests: JenkinsRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ at: performance.now(), method: req.method ?? "GET", path: (req.url ?? "/").split("?")[0]! });
    req.resume();
    res.writeHead(503, { "content-type": "text/plain", connection: "close" });
    res.end("bench: Jenkins is a counter here\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    between: (from, to) => requests.filter((r) => r.at >= from && r.at <= to),
    async quiet(quietMs, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const last = requests.at(-1)?.at ?? 0;
        const now = performance.now();
        if (now - last >= quietMs) return;
        if (now > deadline) throw new Error(`Jenkins counter: requests kept coming for ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
