import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

// Calls the real /api/v1 route modules (as Next.js loads them) and checks every answer against
// the OpenAPI document the portal serves: the status must be documented for the operation, the
// content type must be the documented one, and a JSON body must match its schema.

type Json = Record<string, unknown>;

export const API_DIR = path.join(process.cwd(), "app/api/v1");

/** Every route.ts under app/api/v1 (and app/metrics) as [OpenAPI path, module path]. */
export function routeModules(): [string, string][] {
  const found: [string, string][] = [["/metrics", "@/app/metrics/route"]];
  const walk = (dir: string, prefix: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}/${e.name.replace(/^\[(\w+)\]$/, "{$1}")}`);
      else if (e.name === "route.ts")
        found.push([prefix, `@/app/api/v1${path.relative(API_DIR, dir) ? "/" + path.relative(API_DIR, dir) : ""}/route`]);
    }
  };
  walk(API_DIR, "");
  return found;
}

export interface Harness {
  call(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  validated: number;
}

export function makeHarness(doc: Json): Harness {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>;
  const modules = new Map(routeModules());
  const templateOf = (pathname: string) => {
    const p = pathname.replace(/^\/api\/v1/, "") || "/";
    return Object.keys(paths).find((t) => new RegExp(`^${t.replace(/\{\w+\}/g, "[^/]+")}$`).test(p)) ?? null;
  };
  const harness: Harness = {
    validated: 0,
    async call(method, url, options = {}) {
      const u = new URL(url, "http://portal.test");
      const template = templateOf(u.pathname);
      if (!template) throw new Error(`no OpenAPI path for ${u.pathname}`);
      const mod = (await import(modules.get(template)!)) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
      const handler = mod[method];
      if (!handler) throw new Error(`${template} has no ${method}`);
      const id = template.includes("{id}")
        ? decodeURIComponent(u.pathname.split("/")[template.split("/").indexOf("{id}") + (u.pathname.startsWith("/api/v1") ? 2 : 0)]!)
        : undefined;
      const headers: Record<string, string> = {
        "x-forwarded-for": "198.51.100.7",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      };
      const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (body !== undefined) headers["content-type"] ??= "application/json";
      const res = await handler(new Request(u, { method, headers, body }), {
        params: Promise.resolve(id === undefined ? undefined : { id }),
      });
      const documented = paths[template]![method.toLowerCase()]!.responses[String(res.status)];
      if (!documented) throw new Error(`${method} ${template} answered ${res.status}, which the OpenAPI document does not list`);
      const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
      if (!documented.content) {
        if ((await res.clone().text()) !== "")
          throw new Error(`${method} ${template} ${res.status} has a body the document does not describe`);
      } else {
        const media = documented.content[type];
        if (!media)
          throw new Error(
            `${method} ${template} ${res.status} answered ${type}, documented: ${Object.keys(documented.content).join(", ")}`,
          );
        if (type.endsWith("json")) {
          const validate = ajv.compile(media.schema);
          const json = (await res.clone().json()) as unknown;
          if (!validate(json))
            throw new Error(
              `${method} ${template} ${res.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(json).slice(0, 800)}`,
            );
        }
      }
      harness.validated += 1;
      return res;
    },
  };
  return harness;
}
