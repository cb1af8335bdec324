import fs from "node:fs";
import path from "node:path";

// Where the portal's CPU went: a V8 .cpuprofile (node --cpu-prof) summed by self time, per
// function and per place (package of node_modules, the app's own chunks, Node internals).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  file: string;
  totalMs: number;
  /** Self time outside idle and garbage collection, by place. */
  byPlace: { place: string; ms: number; share: number }[];
  byFunction: { fn: string; ms: number; share: number }[];
}

/** The package a script belongs to, or the app's own (built) code, or Node itself. */
function placeOf(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "(garbage collector)";
  if (fn === "(program)" || fn === "(idle)") return fn;
  if (!url) return "(native)";
  if (url.startsWith("node:")) return "node internals";
  // Prisma's client engine (engineType "client") plans every query in WebAssembly.
  if (url.startsWith("wasm://")) return "wasm (Prisma query compiler)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // Next.js ships React and its renderer compiled inside: name them apart.
    const compiled = rest.indexOf("compiled");
    if (pkg === "next" && compiled >= 0) return `next/compiled/${rest[compiled + 1]}`;
    if (pkg === "next") return `next/${rest.slice(1, 3).join("/")}`;
    return pkg;
  }
  if (url.includes("/.next/server/chunks/")) return "app chunks (.next/server/chunks)";
  if (url.includes("/.next/server/")) return "app pages (.next/server)";
  return path.basename(url);
}

export function summarizeProfile(file: string, top = 25): CpuSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName);
    if (place === "(idle)" || place === "(program)") continue;
    busy += us;
    places.set(place, (places.get(place) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${place}${url && !url.startsWith("node:") ? `:${lineNumber + 1}` : ""}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ k, ms: Math.round(us / 1000), share: Math.round((us / busy) * 1000) / 10 }));
  return {
    file,
    totalMs: Math.round(busy / 1000),
    byPlace: list(places).map(({ k, ms, share }) => ({ place: k, ms, share })),
    byFunction: list(fns).map(({ k, ms, share }) => ({ fn: k, ms, share })),
  };
}

/** The profiles node wrote into dir (one per process), largest first. */
export function profilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
}
