import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A page as this very server rendered it: status, headers and the whole body, uncompressed. */
export interface RenderedPage {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

// Kept open between renders: a miss costs one loopback round trip, not a new connection.
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/**
 * Asks the server itself for the page the client asked for, marked so that the cache lets it
 * through to Next.js, and without Accept-Encoding so that the body comes back uncompressed (the
 * cache swaps the nonce in it and compresses per client). The forwarding headers Next.js would
 * have derived from the client's connection are set from it, so the render sees the same request.
 */
export function renderOwnPage(server: http.Server, req: IncomingMessage, bypass: { name: string; value: string }): Promise<RenderedPage> {
  const headers: http.OutgoingHttpHeaders = { ...req.headers, [bypass.name]: bypass.value };
  delete headers["accept-encoding"];
  headers["x-forwarded-for"] ??= req.socket.remoteAddress;
  headers["x-forwarded-host"] ??= req.headers.host;
  headers["x-forwarded-port"] ??= String(req.socket.localPort ?? "");
  headers["x-forwarded-proto"] ??= "http"; // an http.Server: TLS, if any, ended before it
  const address = server.address();
  // A server on a Unix socket (or not listening) cannot be asked over loopback: the caller renders.
  if (!address || typeof address === "string") return Promise.reject(new Error("the page cache needs a server on a TCP port"));
  const { host, port } = loopbackOf(address);
  return new Promise((resolve, reject) => {
    const request = http.request({ host, port, method: "GET", path: req.url, headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

function loopbackOf(address: AddressInfo): { host: string; port: number } {
  // Listening on every address (Linux's "::" takes IPv4 too): loopback reaches it.
  if (address.address === "0.0.0.0" || address.address === "::") return { host: "127.0.0.1", port: address.port };
  return { host: address.address, port: address.port };
}
