/**
 * A small loopback load balancer for trying portal replicas (README "Replicas"):
 *
 *   npx tsx tools/replica-proxy.ts --port 3000 --upstream http://127.0.0.1:3001 --upstream http://127.0.0.1:3002
 *
 * Round robin per request, no stickiness (the portal needs none: sessions are database rows,
 * the live run feed resumes from its event id on whichever replica answers). Bodies are streamed
 * both ways, so server-sent events and log downloads pass through as they are produced. An
 * upstream that refuses the connection is skipped for that request (the next one is tried), so a
 * killed replica costs no failed page view while another is up. For production use a real proxy
 * (nginx, HAProxy, a cloud load balancer) with the same two properties: streaming, no buffering.
 */
import http from "node:http";
import { parseArgs } from "node:util";
import { z } from "zod";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3000" },
    host: { type: "string", default: "127.0.0.1" },
    upstream: { type: "string", multiple: true, default: [] },
  },
});
const args = z
  .object({
    port: z.coerce.number().int().min(1).max(65535),
    host: z.string().min(1),
    upstream: z.array(z.url()).min(1, "give at least one --upstream http://host:port"),
  })
  .parse(values);
const upstreams = args.upstream.map((u) => new URL(u));
let next = 0;

function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, attempt: number): void {
  const target = upstreams[(next + attempt) % upstreams.length]!;
  const headers = { ...req.headers, "x-forwarded-host": req.headers.host ?? "", "x-forwarded-proto": "http" };
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    // Not connected yet: nothing was sent upstream, so another replica may take the request.
    if (!res.headersSent && error.code === "ECONNREFUSED" && attempt + 1 < upstreams.length) return forward(req, res, body, attempt + 1);
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("no portal replica answered\n");
    else res.destroy();
  });
  res.on("close", () => upstream.destroy());
  upstream.end(body);
}

http
  .createServer((req, res) => {
    // Request bodies are small (forms, API calls): kept whole so a refused attempt can be retried.
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      next = (next + 1) % upstreams.length;
      forward(req, res, Buffer.concat(chunks), 0);
    });
  })
  .listen(args.port, args.host, () => console.log(`replica proxy on http://${args.host}:${args.port} → ${args.upstream.join(", ")}`));
