import type { Metadata } from "next";
import { openApiDocument } from "@/lib/api/openapi";
import { PROBLEM_TYPES, type ProblemType } from "@/lib/api/problem";

export const metadata: Metadata = { title: "API" };

interface Op {
  operationId: string;
  summary: string;
  "x-scope": string;
  "x-manager-only"?: boolean;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
}

// The OpenAPI document rendered for people: every operation with its scope, parameters and
// answers, then the problem types that `type` in an error points at.
export default function ApiDocsPage() {
  const doc = openApiDocument() as { info: { description: string }; paths: Record<string, Record<string, Op>> };
  return (
    <>
      <h1>Restore Drill API v1</h1>
      <p>{doc.info.description}</p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Paths are under <code>/api/v1</code> except{" "}
        <code>/metrics</code>.
      </p>
      {Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([method]) => method !== "servers")
          .map(([method, op]) => (
            <section key={`${method} ${path}`} className="panel" aria-label={`${method.toUpperCase()} ${path}`}>
              <h2>
                <code>
                  {method.toUpperCase()} {path}
                </code>
              </h2>
              <p>
                {op.summary}. Scope: <code>{op["x-scope"]}</code>
                {op["x-manager-only"] ? " (managers only)" : ""}.
              </p>
              {op.parameters.length > 0 && (
                <p>Parameters: {op.parameters.map((p) => `${p.name} (${p.in}${p.required ? ", required" : ""})`).join(", ")}</p>
              )}
              {op.requestBody && (
                <details>
                  <summary>Request body (JSON Schema)</summary>
                  <pre>{JSON.stringify(op.requestBody.content["application/json"]?.schema, null, 2)}</pre>
                </details>
              )}
              <ul>
                {Object.entries(op.responses).map(([status, r]) => (
                  <li key={status}>
                    <code>{status}</code> {r.description}
                  </li>
                ))}
              </ul>
            </section>
          )),
      )}
      <h2>Problems</h2>
      <dl>
        {(Object.entries(PROBLEM_TYPES) as [ProblemType, { status: number; title: string }][]).map(([kind, p]) => (
          <div key={kind} id={`problem-${kind}`}>
            <dt>
              <code>{kind}</code> — {p.status} {p.title}
            </dt>
          </div>
        ))}
      </dl>
    </>
  );
}
