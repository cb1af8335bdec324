import fs from "node:fs";
import path from "node:path";

// The results and audit pages list what the database holds: not one module they load (directly
// or through others) may reach Jenkins. Walks the project's own import graph from each page.

const ROOT = path.resolve(__dirname, "../../..");
// import … from "x", export … from "x", import "x", import("x")
const IMPORT = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/g;

function resolveModule(spec: string, from: string): string | null {
  const base = spec.startsWith("@/")
    ? path.join(ROOT, spec.slice(2))
    : spec.startsWith(".")
      ? path.resolve(path.dirname(from), spec)
      : null;
  // Packages and the generated Prisma client are not project code that could call Jenkins.
  if (!base || spec.startsWith("@/lib/generated/")) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

function projectImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
      const next = resolveModule(m[1] ?? m[2]!, file);
      if (next) queue.push(next);
    }
  }
  return seen;
}

it.each([
  "app/(portal)/results/page.tsx",
  "app/(portal)/audit/page.tsx",
  "app/api/results/export/route.ts",
  "app/api/audit/export/route.ts",
])("%s loads no Jenkins code", (entry) => {
  const files = [...projectImports(path.join(ROOT, entry))].map((f) => path.relative(ROOT, f));
  expect(files).toContain("lib/db/client.ts"); // the walk does follow imports
  expect(files.filter((f) => f.startsWith("lib/jenkins/") || f === "lib/runs/server.ts" || f.startsWith("emulator/"))).toEqual([]);
});
