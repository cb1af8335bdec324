import type { z } from "zod";
import { DomainError, type DomainErrorCode } from "@/lib/errors";

// Errors as RFC 9457 problem details. `type` names the kind of problem (documented on /docs/api),
// `detail` is a sentence for the person, `errors` the field messages of the zod schema. Never a
// stack or an internal message: unexpected errors go to the server log, not to the client.

export const PROBLEM_TYPES = {
  "bad-request": { status: 400, title: "Bad request" },
  unauthenticated: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "range-not-satisfiable": { status: 416, title: "Range not satisfiable" },
  validation: { status: 422, title: "Validation failed" },
  "rate-limited": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  jenkins: { status: 502, title: "Jenkins did not do it" },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Record<string, string[]>;
}

export const problemTypeUri = (type: ProblemType) => `/docs/api#problem-${type}`;

export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemType,
    readonly detail: string,
    readonly errors?: Record<string, string[]>,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function problemResponse(p: ApiProblem, instance?: string): Response {
  const { status, title } = PROBLEM_TYPES[p.kind];
  const body: Problem = {
    type: problemTypeUri(p.kind),
    title,
    status,
    detail: p.detail,
    ...(instance ? { instance } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...p.headers },
  });
}

/** zod issues as { "field.path": [messages] }; "form" for issues about the whole input. */
export function zodFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.length ? issue.path.join(".") : "form"] ??= []).push(issue.message);
  return out;
}

/** Every domain refusal's problem type: a new DomainErrorCode must say how the API answers it. */
const DOMAIN_CODES: Record<DomainErrorCode, ProblemType> = {
  invalid: "validation",
  "unknown-credential": "validation",
  "path-not-allowed": "validation",
  "image-not-allowed": "validation",
  "not-found": "not-found",
  busy: "conflict",
  "run-limit": "conflict",
  finished: "conflict",
  duplicate: "conflict",
  paused: "conflict",
  "last-manager": "conflict",
  "in-use": "conflict",
  forbidden: "forbidden",
  jenkins: "jenkins",
};

/** A domain refusal as a problem: its message is written for people, so it is the detail. */
export function fromDomainError(e: DomainError): ApiProblem {
  const kind = DOMAIN_CODES[e.code];
  return new ApiProblem(kind, e.message, kind === "validation" || e.field ? { [e.field ?? "form"]: [e.message] } : undefined);
}
