// A stand-in for `next start` with the page cache installed as instrumentation.ts installs it
// (tests/integration/http/page-cache-install.test.ts): installPageCache() wraps every http.Server
// of this process, then a server renders pages with a new CSP nonce each time and counts them.
// Prints its port; DATABASE_URL, NEXTAUTH_SECRET and PAGE_CACHE_SECONDS come from the test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { installPageCache } from "@/lib/http/page-cache/install";
import { newNonce } from "@/lib/http/security-headers";

const installed = installPageCache() !== null;
let renders = 0;
const server = http.createServer((req, res) => {
  renders++;
  const nonce = newNonce();
  res.writeHead(200, { "content-type": "text/html", "content-security-policy": `script-src 'nonce-${nonce}'` });
  res.end(`<script nonce="${nonce}"></script><p>render ${renders} of ${req.url}</p>`);
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, installed })));
