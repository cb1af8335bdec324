import Jenkins from "jenkins";
import type { JenkinsConfig } from "./config";
import { errorFromStatus, errorFromTransport, JenkinsError } from "./errors";
import { explainJobNotFound } from "./permissions";
import type { NodeJenkinsClient, NodeJenkinsError } from "./vendor-types";

// The single way out to Jenkins. Two carriers share one policy (auth header,
// per-attempt timeout, error mapping, bounded retries for idempotent calls):
//  - the npm `jenkins` client for the calls it gets right;
//  - fetch for the calls it gets wrong or lacks (see README.md).

/** Bodies larger than this are refused rather than buffered (logs are read in chunks, reports are small). */
const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface HttpRequest {
  method: "GET" | "HEAD" | "POST" | "DELETE";
  /** Relative to the base URL, no leading slash: "job/x/api/json". */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Form fields (urlencoded) or an XML document. */
  form?: Record<string, string>;
  xml?: string;
  /** Statuses that count as success; anything else becomes a JenkinsError. Default: any 2xx. */
  expect?: readonly number[];
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface StreamResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
  /** Stops reading and releases the connection. */
  cancel(): Promise<void>;
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}

export class JenkinsTransport {
  readonly config: JenkinsConfig;
  #client: NodeJenkinsClient | undefined;

  constructor(config: JenkinsConfig) {
    this.config = config;
  }

  /** Base URL (with trailing slash) joined with a relative path. */
  url(path: string): URL {
    return new URL(path.replace(/^\/+/, ""), this.config.url);
  }

  /**
   * One HTTP exchange with fetch. Retries only GET/HEAD, and only on
   * unreachable, timeout or 5xx; a POST is sent exactly once.
   */
  async http(operation: string, request: HttpRequest): Promise<HttpResponse> {
    const idempotent = request.method === "GET" || request.method === "HEAD";
    return this.#withRetries(idempotent, () => this.#httpOnce(operation, request));
  }

  /** A call through the npm `jenkins` client, under the same policy. */
  async client<T>(operation: string, idempotent: boolean, call: (client: NodeJenkinsClient) => Promise<T>): Promise<T> {
    return this.#withRetries(idempotent, async () => {
      try {
        return await call(this.#nodeJenkins());
      } catch (error) {
        throw errorFromNodeJenkins(operation, error, this.config.timeoutMs);
      }
    });
  }

  /** GET that must return JSON; parses it (validation is the caller's, with a zod schema). */
  async getJson(operation: string, path: string, query?: HttpRequest["query"]): Promise<unknown> {
    const response = await this.http(operation, { method: "GET", path, query });
    try {
      return JSON.parse(response.body.toString("utf8"));
    } catch {
      throw new JenkinsError("bad-response", operation, "the body is not JSON", response.status);
    }
  }

  /**
   * A GET whose body is handed over as a stream instead of being buffered (console logs can be
   * tens of megabytes). Retried like any GET until the headers arrive; after that each chunk
   * must arrive within the timeout. The caller must read the body to its end or cancel it.
   */
  async stream(operation: string, request: Omit<HttpRequest, "method" | "form" | "xml" | "maxBodyBytes">): Promise<StreamResponse> {
    return this.#withRetries(true, () => this.#streamOnce(operation, request));
  }

  async #streamOnce(operation: string, request: Omit<HttpRequest, "method" | "form" | "xml" | "maxBodyBytes">): Promise<StreamResponse> {
    const url = this.url(request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const abort = new AbortController();
    const timeoutMs = this.config.timeoutMs;
    let timer = setTimeout(() => abort.abort(Object.assign(new Error("timeout"), { name: "TimeoutError" })), timeoutMs);
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(Object.assign(new Error("timeout"), { name: "TimeoutError" })), timeoutMs);
    };
    let response: Response;
    try {
      response = await fetch(url, { method: "GET", headers: this.#authHeaders(), redirect: "manual", signal: abort.signal });
    } catch (error) {
      clearTimeout(timer);
      throw errorFromTransport(operation, error, timeoutMs);
    }
    const ok = request.expect ? request.expect.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!ok || !response.body) {
      const bytes = await readBounded(response, 64 * 1024, operation).catch(() => Buffer.alloc(0));
      clearTimeout(timer);
      if (!ok) throw errorFromStatus(operation, response.status, response.headers.get("x-error") ?? shortPlainText(response, bytes));
      return { status: response.status, headers: response.headers, body: emptyStream(), cancel: async () => undefined };
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            clearTimeout(timer);
            controller.close();
          } else {
            rearm();
            controller.enqueue(value);
          }
        } catch (error) {
          clearTimeout(timer);
          controller.error(errorFromTransport(operation, error, timeoutMs));
        }
      },
      async cancel(reason) {
        clearTimeout(timer);
        await reader.cancel(reason).catch(() => undefined);
      },
    });
    return {
      status: response.status,
      headers: response.headers,
      body,
      cancel: async () => {
        clearTimeout(timer);
        await body.cancel().catch(() => undefined);
      },
    };
  }

  async #httpOnce(operation: string, request: HttpRequest): Promise<HttpResponse> {
    const url = this.url(request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers = new Headers(this.#authHeaders());
    let body: string | undefined;
    if (request.form) {
      headers.set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
      body = new URLSearchParams(request.form).toString();
    } else if (request.xml !== undefined) {
      headers.set("content-type", "application/xml; charset=utf-8");
      body = request.xml;
    }
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let response: Response;
    let bytes: Buffer;
    try {
      response = await fetch(url, { method: request.method, headers, body, redirect: "manual", signal });
      bytes = await readBounded(response, request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, operation);
    } catch (error) {
      throw errorFromTransport(operation, error, this.config.timeoutMs);
    }
    const ok = request.expect ? request.expect.includes(response.status) : response.status >= 200 && response.status < 300;
    if (!ok) {
      throw errorFromStatus(operation, response.status, response.headers.get("x-error") ?? shortPlainText(response, bytes));
    }
    return { status: response.status, headers: response.headers, body: bytes };
  }

  async #withRetries<T>(idempotent: boolean, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt();
      } catch (error) {
        const again = idempotent && error instanceof JenkinsError && error.transient && retry < this.config.retries;
        if (!again) throw error instanceof JenkinsError ? await explainJobNotFound(error, () => this.#visibleJobCount()) : error;
        await new Promise((resolve) => setTimeout(resolve, this.config.retryDelayMs * 2 ** retry));
      }
    }
  }

  /** How many top-level items the portal's user can see (one small GET, not retried). */
  async #visibleJobCount(): Promise<number> {
    const response = await this.#httpOnce("jobs.visible", { method: "GET", path: "api/json", query: { tree: "jobs[name]" } });
    const jobs = (JSON.parse(response.body.toString("utf8")) as { jobs?: unknown }).jobs;
    if (!Array.isArray(jobs)) throw new Error("no job list");
    return jobs.length;
  }

  #authHeaders(): Record<string, string> {
    const credentials = this.config.credentials;
    if (!credentials) return {};
    return { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.apiToken}`).toString("base64")}` };
  }

  #nodeJenkins(): NodeJenkinsClient {
    if (!this.#client) {
      // Auth goes in a header rather than in baseUrl's userinfo, so the token
      // never sits in a URL that an error or log line could echo. API tokens are
      // exempt from CSRF crumbs (Jenkins ≥ 2.96), so no crumb round trip.
      const JenkinsClient = Jenkins as unknown as new (options: {
        baseUrl: string;
        crumbIssuer: boolean;
        headers: Record<string, string>;
        timeout: number;
      }) => NodeJenkinsClient;
      this.#client = new JenkinsClient({
        baseUrl: this.config.url.replace(/\/$/, ""),
        crumbIssuer: false,
        headers: this.#authHeaders(),
        timeout: this.config.timeoutMs,
      });
    }
    return this.#client;
  }
}

/** Reads the body, refusing more than maxBytes (a misbehaving server must not exhaust memory). */
async function readBounded(response: Response, maxBytes: number, operation: string): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new JenkinsError("bad-response", operation, `response larger than ${maxBytes} bytes`, response.status);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Jenkins puts short reasons in text/plain bodies; HTML error pages are not worth quoting. */
function shortPlainText(response: Response, body: Buffer): string | undefined {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain") || body.length === 0 || body.length > 200) return undefined;
  return body.toString("utf8");
}

const SOCKET_ERROR = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE)\b/;

/** Maps what papi / node-jenkins throw (contract §0) to a JenkinsError. */
function errorFromNodeJenkins(operation: string, error: unknown, timeoutMs: number): JenkinsError {
  if (error instanceof JenkinsError) return error;
  const failure = error as NodeJenkinsError;
  // The client's notFound middleware replaces the response error with a plain one.
  if (failure?.notFound) return errorFromStatus(operation, 404);
  const status = failure?.res?.statusCode ?? failure?.statusCode;
  if (typeof status === "number") {
    const xError = failure.res?.headers?.["x-error"];
    const said = typeof xError === "string" ? xError : undefined;
    if (status >= 200 && status < 400) {
      return new JenkinsError("bad-response", operation, `HTTP ${status} where the API documents another status`, status);
    }
    return errorFromStatus(operation, status, said);
  }
  if (failure?.isTimeout || (failure as { code?: string })?.code || (failure as { cause?: unknown })?.cause) {
    return errorFromTransport(operation, error, timeoutMs);
  }
  // papi re-wraps a socket error that is not an instanceof its realm's Error
  // (e.g. under Jest) as new Error(String(err)), keeping only the text.
  const socketCode = SOCKET_ERROR.exec(failure?.message ?? "")?.[1];
  if (socketCode) return new JenkinsError("unreachable", operation, `server unreachable (${socketCode})`);
  // e.g. require302 seeing a 2xx: the client builds a bare Error without the response.
  return new JenkinsError("bad-response", operation, "a response the client could not use");
}
