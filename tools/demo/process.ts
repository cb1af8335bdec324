// Small process helpers for the demo tools (tools/ may not rely on tests/support).
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never through a shell. Rejects only if it cannot be spawned. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; stdoutFile?: string } = {},
): Promise<RunResult> {
  return (async () => {
    const out = opts.stdoutFile ? await fs.open(opts.stdoutFile, "w", 0o600) : undefined;
    try {
      return await new Promise<RunResult>((resolve, reject) => {
        const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ["pipe", out ? out.fd : "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
        child.stdin?.on("error", () => undefined);
        child.stdin?.end(opts.input ?? "");
      });
    } finally {
      await out?.close();
    }
  })();
}

export async function runOk(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const result = await run(cmd, args, opts);
  // stderr only: none of the demo's commands print a secret there.
  if (result.code !== 0) throw new Error(`${cmd} exited ${result.code}: ${result.stderr.slice(0, 1500)}`);
  return result;
}

export const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** `setpriv …` to run a database server as an unprivileged user when we are root (they refuse root). */
export async function asSandboxUser(user = "nobody"): Promise<string[]> {
  if (!isRoot()) return [];
  const group = (await runOk("id", ["-gn", user])).stdout.trim();
  return ["setpriv", `--reuid=${user}`, `--regid=${group}`, "--clear-groups", "--"];
}

export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const currentUser = () => os.userInfo().username;

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Starts a server in its own session, output appended to `log`; returns its pid. */
export function spawnDetached(argv: string[], log: string): Promise<number> {
  return fs.open(log, "a").then((handle) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", handle.fd, handle.fd], detached: true });
    child.unref();
    void handle.close();
    if (!child.pid) throw new Error(`could not start ${argv[0]}`);
    return child.pid;
  });
}

/** Signals `pid` and waits for it to exit (SIGKILL after 20 s). */
export async function stopPid(pid: number, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  await waitFor(
    async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    20_000,
    `pid ${pid} to exit`,
  ).catch(() => process.kill(pid, "SIGKILL"));
}
