import type { z } from "zod";
import { recordAudit, type AuditOutcome } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { clientAddress } from "@/lib/auth/client-address";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { paramsObject } from "@/lib/shared/date-range";
import type { ApiOperation } from "./operations";
import { ApiProblem, fromDomainError, problemResponse, zodFieldErrors } from "./problem";
import { takeToken } from "./rate-limit";
import { resolveBearer, type TokenIdentity } from "./tokens";

// The one path every /api/v1 call takes: bearer token → scope → rate limit → zod checks of path,
// query and body → the handler (which calls the same domain functions as the pages) → one audit
// event, whatever the outcome. Route files in app/api/v1 only bind an operation to a handler.

const MAX_BODY_BYTES = 256 * 1024;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiContext<O extends ApiOperation> {
  request: Request;
  user: SessionUser;
  token: TokenIdentity["token"];
  address: string | null;
  /** The portal's origin as the caller reached it, for the URLs in answers. */
  origin: string;
  params: Out<O["params"]>;
  query: Out<O["query"]>;
  body: Out<O["body"]>;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the call was about, for the audit trail, when the path does not name it (e.g. a new run). */
  target?: string;
}

type RouteContext = { params: Promise<Record<string, string | string[]> | undefined> };

const UNAUTHENTICATED: Record<string, string> = {
  missing: "Send a personal API token as `Authorization: Bearer rdt_…` (create one on your account page).",
  malformed: "The Authorization header must be `Bearer` followed by a personal API token.",
  unknown: "This token is not valid.",
  revoked: "This token was revoked.",
  expired: "This token has expired.",
  owner: "This token's owner can no longer sign in.",
};

export function apiRoute<O extends ApiOperation>(op: O, handler: (ctx: ApiContext<O>) => Promise<ApiReply | Response>) {
  return async function route(request: Request, context?: RouteContext): Promise<Response> {
    const url = new URL(request.url);
    const address = clientAddress(request.headers);
    let identity: TokenIdentity | null = null;
    let target: string | null = null;
    let response: Response;
    let reason: string | undefined;
    try {
      // Next.js resolves `params` to undefined for a route without dynamic segments.
      const rawParams = (context ? await context.params : undefined) ?? {};
      target = typeof rawParams.id === "string" ? rawParams.id.slice(0, 200) : null;
      // A token in a URL ends up in proxy logs and browser history: refuse it outright.
      if (url.searchParams.has("access_token"))
        throw new ApiProblem(
          "bad-request",
          "Send the token in the Authorization header, never in the URL. Revoke this token: it has been exposed.",
        );
      const check = await resolveBearer(db, request.headers.get("authorization"), address);
      if (!check.ok) {
        reason = check.reason;
        throw new ApiProblem("unauthenticated", UNAUTHENTICATED[check.reason]!, undefined, {
          "www-authenticate": `Bearer realm="restore-drill"${check.reason === "missing" ? "" : ', error="invalid_token"'}`,
        });
      }
      identity = check.identity;
      if (!identity.token.scopes.includes(op.scope)) throw new ApiProblem("forbidden", `This token lacks the "${op.scope}" scope.`);
      if (op.managerOnly && identity.user.role !== "manager") throw new ApiProblem("forbidden", "Only managers can do this.");
      const wait = takeToken(identity.token.id);
      if (wait > 0)
        throw new ApiProblem("rate-limited", `This token made too many requests; try again in ${wait} s.`, undefined, {
          "retry-after": String(wait),
        });

      const params = parse(op.params, rawParams, "not-found");
      const query = parse(op.query, paramsObject(url.searchParams), "validation");
      const body = op.body ? parse(op.body, await readJson(request), "validation") : undefined;
      const reply = await handler({
        request,
        user: identity.user,
        token: identity.token,
        address,
        origin: url.origin,
        params,
        query,
        body,
      } as ApiContext<O>);
      if (reply instanceof Response) response = reply;
      else {
        target ??= reply.target ?? null;
        response =
          reply.body === undefined
            ? new Response(null, { status: reply.status, headers: reply.headers })
            : Response.json(reply.body, { status: reply.status, headers: { "cache-control": "no-store", ...reply.headers } });
      }
    } catch (error) {
      response = problemResponse(asProblem(error, op), url.pathname);
    }
    await audit(op, identity, target, response.status, address, request.method, url.pathname, reason);
    return response;
  };
}

function parse<S extends z.ZodType | undefined>(schema: S, raw: unknown, kind: "not-found" | "validation"): Out<S> {
  if (!schema) return undefined as Out<S>;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as Out<S>;
  if (kind === "not-found") throw new ApiProblem("not-found", "There is nothing at this address: the id is not well-formed.");
  throw new ApiProblem("validation", "Check the fields listed in `errors`.", zodFieldErrors(parsed.error));
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type))
    throw new ApiProblem("unsupported-media-type", "Send the body as JSON with Content-Type: application/json.");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiProblem("payload-too-large", `The body may be at most ${MAX_BODY_BYTES / 1024} KiB.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new ApiProblem("payload-too-large", `The body may be at most ${MAX_BODY_BYTES / 1024} KiB.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiProblem("bad-request", "The body is not valid JSON.");
  }
}

function asProblem(error: unknown, op: ApiOperation): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof DomainError) return fromDomainError(error);
  console.error(`api ${op.id} failed`, error);
  return new ApiProblem("internal", "Something went wrong on our side; nothing was changed. Try again.");
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return "success";
  return status === 401 || status === 403 || status === 429 ? "denied" : "failure";
}

async function audit(
  op: ApiOperation,
  identity: TokenIdentity | null,
  target: string | null,
  status: number,
  address: string | null,
  method: string,
  path: string,
  reason?: string,
) {
  try {
    await recordAudit(db, {
      actor: identity ? { id: identity.user.id, email: identity.user.email } : null,
      action: `api.${op.id}`,
      target,
      outcome: outcomeOf(status),
      // Never the token, the query string or the body: names and numbers only.
      details: { token: identity?.token.name ?? null, method, path: path.slice(0, 300), status, ...(reason ? { reason } : {}) },
      address,
      apiTokenId: identity?.token.id ?? null,
    });
  } catch (error) {
    console.error(`audit of api.${op.id} failed`, error);
  }
}
