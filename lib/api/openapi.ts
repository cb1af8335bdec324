import { z } from "zod";
import { METRICS_OPERATION, OPERATIONS, type ApiOperation } from "./operations";
import { PROBLEM_TYPES } from "./problem";
import { problemSchema } from "./schemas";
import { API_SCOPES, SCOPE_LABELS } from "./token-schema";

// The OpenAPI 3.1 document, generated from the operations' zod schemas (z.toJSONSchema): the
// request schemas are the forms' own, the response schemas those in lib/api/schemas.ts.

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: "input" | "output"): Json => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  return rest;
};

const problemContent = () => ({ "application/problem+json": { schema: jsonSchema(problemSchema, "output") } });

function parametersOf(op: ApiOperation): Json[] {
  const out: Json[] = [];
  const add = (schema: z.ZodType | undefined, where: "path" | "query") => {
    if (!schema) return;
    const s = jsonSchema(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(s.properties ?? {}))
      out.push({ name, in: where, required: where === "path" || (s.required ?? []).includes(name), schema: prop });
  };
  add(op.params, "path");
  add(op.query, "query");
  if (op.id === "runs.log")
    out.push({
      name: "Range",
      in: "header",
      required: false,
      schema: { type: "string", examples: ["bytes=0-1023", "bytes=4096-", "bytes=-2000"] },
    });
  return out;
}

function operationObject(op: ApiOperation): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.text
        ? { content: { "text/plain": { schema: { type: "string" } } } }
        : r.schema
          ? { content: { "application/json": { schema: jsonSchema(r.schema, "output") } } }
          : {}),
    };
  }
  // Every call may be refused for its token (401, 403, 429) or a token in the URL (400); a body may be
  // malformed, too large or not JSON.
  for (const status of [400, 401, 403, 429, 500, ...(op.body ? [413, 415] : []), ...(op.problems ?? [])]) {
    const kind = Object.values(PROBLEM_TYPES).find((p) => p.status === status);
    responses[String(status)] ??= { description: kind?.title ?? "Problem", content: problemContent() };
  }
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [op.path.split("/")[1]],
    security: [{ bearer: [op.scope] }],
    "x-scope": op.scope,
    ...(op.managerOnly ? { "x-manager-only": true } : {}),
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
    responses,
  };
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const op of Object.values(OPERATIONS) as ApiOperation[]) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  // /metrics lives at the root, not under /api/v1.
  paths[METRICS_OPERATION.path] = { servers: [{ url: "/" }], get: operationObject(METRICS_OPERATION) };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Restore Drill API",
      version: "1.0.0",
      description:
        "Start restores, read their verdicts and logs, manage schedules, and get statistics. Authenticate with a personal API token from your account page: `Authorization: Bearer rdt_…`. Errors are RFC 9457 problem details.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `Personal API token. Scopes: ${API_SCOPES.map((s) => SCOPE_LABELS[s]).join("; ")}.`,
        },
      },
    },
    paths,
  };
  return cached;
}
