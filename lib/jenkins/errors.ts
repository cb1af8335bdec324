// Every failure of the adapter surfaces as a JenkinsError with a `kind` the
// caller can switch on. Messages name the operation and what Jenkins said, never
// a URL with credentials, a header or a request body.

export type JenkinsErrorKind =
  /** connection refused/reset, DNS failure, or a gateway/restart page (502/503/504) */
  | "unreachable"
  /** the request did not complete within JENKINS_TIMEOUT_MS */
  | "timeout"
  /** 401: wrong user or API token */
  | "unauthorized"
  /** 403: authenticated but lacking a permission (or anonymous without Overall/Read) */
  | "forbidden"
  /** 404: no such job, build, queue item, credential or artifact */
  | "not-found"
  /** 409, or 400 "already exists": the item exists or is in a state that refuses the call */
  | "conflict"
  /** any other 4xx: Jenkins refused the request as made (e.g. "is not parameterized") */
  | "rejected"
  /** an unexpected status (500, a 2xx where a 302 is due…) or a body that is not what the API documents */
  | "bad-response";

export class JenkinsError extends Error {
  readonly kind: JenkinsErrorKind;
  /** e.g. "job.create restore-drill-deploy" */
  readonly operation: string;
  readonly status?: number;

  constructor(kind: JenkinsErrorKind, operation: string, detail: string, status?: number) {
    super(`Jenkins ${operation}: ${detail}`);
    this.name = "JenkinsError";
    this.kind = kind;
    this.operation = operation;
    this.status = status;
  }

  /** Worth another attempt for an idempotent call. */
  get transient(): boolean {
    return this.kind === "unreachable" || this.kind === "timeout" || (this.kind === "bad-response" && (this.status ?? 0) >= 500);
  }
}

export function isJenkinsError(error: unknown, kind?: JenkinsErrorKind): error is JenkinsError {
  return error instanceof JenkinsError && (kind === undefined || error.kind === kind);
}

const DETAIL_BY_KIND: Record<JenkinsErrorKind, string> = {
  unreachable: "server unreachable",
  timeout: "no answer in time",
  unauthorized: "user or API token rejected (401)",
  forbidden: "permission denied for this user (403)",
  "not-found": "not found (404)",
  conflict: "conflicts with the current state",
  rejected: "request refused",
  "bad-response": "unexpected response",
};

/** Maps an HTTP status (plus Jenkins' X-Error text, if any) to a typed error. */
export function errorFromStatus(operation: string, status: number, jenkinsMessage?: string): JenkinsError {
  const kind = kindFromStatus(status, jenkinsMessage);
  const said = jenkinsMessage ? `: ${sanitize(jenkinsMessage)}` : "";
  const base =
    kind === "bad-response" || kind === "rejected" || kind === "unreachable" || kind === "conflict"
      ? `${DETAIL_BY_KIND[kind]} (HTTP ${status})`
      : DETAIL_BY_KIND[kind];
  return new JenkinsError(kind, operation, `${base}${said}`, status);
}

function kindFromStatus(status: number, message = ""): JenkinsErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  // createItem reports a duplicate name as 400 with this X-Error.
  if (status === 400 && /already exists/i.test(message)) return "conflict";
  if (status === 502 || status === 503 || status === 504) return "unreachable";
  if (status >= 400 && status < 500) return "rejected";
  return "bad-response";
}

/** Jetty sends non-ASCII quotes as "?"; keep messages short and on one line. */
function sanitize(message: string): string {
  return message
    .replace(/\?(?=\S)|(?<=\S)\?/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

/** Maps a low-level failure (socket error, abort, timeout) to a typed error. */
export function errorFromTransport(operation: string, error: unknown, timeoutMs: number): JenkinsError {
  if (error instanceof JenkinsError) return error;
  if (isTimeout(error)) return new JenkinsError("timeout", operation, `${DETAIL_BY_KIND.timeout} (${timeoutMs} ms)`);
  const code = networkCode(error);
  return new JenkinsError("unreachable", operation, code ? `${DETAIL_BY_KIND.unreachable} (${code})` : DETAIL_BY_KIND.unreachable);
}

// Duck-typed: AbortSignal.timeout() rejects with a DOMException, which is not
// an instanceof Error in every realm (Jest's VM contexts, for one).
function isTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return (error as { name?: unknown }).name === "TimeoutError" || (error as { isTimeout?: unknown }).isTimeout === true;
}

/** ECONNREFUSED etc., found on the error or its cause (fetch wraps socket errors in TypeError("fetch failed")). */
function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
