import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// The built portal for the benchmark: built in a copy of the repository (the shared .next is
// other people's), started with `next start`, signed in over HTTP like a browser.

/** Top-level entries of the repository that the build copy leaves out. */
const NOT_COPIED = new Set(["node_modules", ".next", ".git", "data", "test-results", "playwright-report"]);

/**
 * Builds the portal in buildDir: the sources are copied (without .next, node_modules, .git),
 * node_modules is hard-linked (Turbopack refuses a node_modules symlink that leaves the project).
 * The copy's .next stays between runs, so Next's build cache makes later builds quicker.
 */
export function buildPortal(repo: string, buildDir: string): { seconds: number } {
  const started = performance.now();
  fs.mkdirSync(buildDir, { recursive: true });
  for (const entry of fs.readdirSync(buildDir))
    if (entry !== ".next") fs.rmSync(path.join(buildDir, entry), { recursive: true, force: true });
  for (const entry of fs.readdirSync(repo)) {
    if (NOT_COPIED.has(entry) || entry.endsWith(".tsbuildinfo")) continue;
    fs.cpSync(path.join(repo, entry), path.join(buildDir, entry), { recursive: true, verbatimSymlinks: true });
  }
  // Hard links: same files, no copy of ~1 GB; a package installed since the last build is there too.
  run("cp", ["-al", path.join(repo, "node_modules"), path.join(buildDir, "node_modules")]);
  console.log(`building the portal in ${buildDir} (next build, a few minutes) …`);
  const modules = path.join(buildDir, "node_modules");
  const build = spawnSync(path.join(modules, ".bin/next"), ["build"], {
    cwd: buildDir,
    encoding: "utf8",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0)
    throw new Error(`next build failed in ${buildDir}:\n${`${build.stdout}\n${build.stderr}`.split("\n").slice(-40).join("\n")}`);
  return { seconds: (performance.now() - started) / 1000 };
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr}`);
}

export interface Portal {
  base: string;
  child: ChildProcess;
  log: string[];
  stop(): Promise<void>;
}

export async function startPortal(opts: {
  dir: string;
  port: number;
  databaseUrl: string;
  jenkinsUrl: string;
  /** Write a V8 CPU profile of the portal (node --cpu-prof) into this directory when it stops. */
  profileDir?: string;
  /** Replicas share one secret and are reached at one address (their proxy's). */
  secret?: string;
  publicUrl?: string;
  /** More settings of the portal (e.g. PAGE_CACHE_SECONDS). */
  env?: Record<string, string>;
}): Promise<Portal> {
  const base = `http://127.0.0.1:${opts.port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: opts.databaseUrl,
    NEXTAUTH_URL: opts.publicUrl ?? base,
    NEXTAUTH_SECRET: opts.secret ?? randomBytes(32).toString("base64"),
    JENKINS_URL: opts.jenkinsUrl,
    JENKINS_USER: "restore-drill",
    JENKINS_API_TOKEN: randomBytes(16).toString("hex"),
    // The longest interval allowed (lib/runs/config.ts): after the start-up round, background
    // reconciling and the schedule watch stay out of the measurement window.
    RECONCILE_INTERVAL_MS: "3600000",
    ...opts.env,
  };
  const next = ["start", "-p", String(opts.port), "-H", "127.0.0.1"];
  // node refuses --cpu-prof in NODE_OPTIONS: the profiled server is started by node itself.
  const [cmd, argv] = opts.profileDir
    ? [
        process.execPath,
        [`--cpu-prof`, `--cpu-prof-dir=${opts.profileDir}`, path.join(opts.dir, "node_modules/next/dist/bin/next"), ...next],
      ]
    : [path.join(opts.dir, "node_modules/.bin/next"), next];
  const child = spawn(cmd, argv, {
    cwd: opts.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => log.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited at start:\n${log.slice(-20).join("\n")}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (performance.now() > deadline) throw new Error(`the portal did not answer /api/health within 60 s:\n${log.slice(-20).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    child,
    log,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** Signs in through next-auth's credentials endpoint and returns the Cookie header of the session. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const take = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${base}/` }),
  });
  take(res);
  const session = [...jar.keys()].find((k) => k.endsWith("next-auth.session-token"));
  if (!session) throw new Error(`sign-in failed (HTTP ${res.status}): no session cookie`);
  return cookie();
}
