/**
 * Small process/file helpers shared by the server helpers in this folder.
 *
 * - `run(cmd, args, opts)` runs a command to completion and resolves with
 *   `{ code, stdout, stderr }` (never rejects on a non-zero exit; rejects only
 *   when the binary cannot be spawned).
 * - `runOk(...)` does the same but throws with stderr when the exit code ≠ 0.
 * - `makeTempDir(prefix)` creates a unique dir under os.tmpdir() with mode 0755
 *   so an unprivileged sandbox user (SANDBOX_RUN_AS) can traverse it.
 * - `freePort()` asks the kernel for a free loopback TCP port.
 * - `processesMentioning(text)` lists pids whose command line contains `text`
 *   (used to prove nothing was left running).
 * - `dropPrivilegesPrefix(user)` gives the `setpriv …` argv prefix to run a
 *   command as `user` when the tests run as root, or `[]` otherwise.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends Pick<SpawnOptions, "cwd" | "env"> {
  input?: string | Buffer;
  /** Write stdout to this file instead of buffering it (large dumps). */
  stdoutFile?: string;
}

export async function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const out = opts.stdoutFile ? await fs.open(opts.stdoutFile, "w") : undefined;
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(cmd, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ["pipe", out ? out.fd : "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
      // A child that never reads stdin closes it early; that is not an error.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(opts.input ?? "");
    });
  } finally {
    await out?.close();
  }
}

export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(cmd, args, opts);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
  }
  return result;
}

export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  await fs.chmod(dir, 0o755);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  // Retries cover a server still flushing files while it exits.
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no port"))));
    });
  });
}

export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await fs.readFile(`/proc/${entry}/cmdline`)).toString().replace(/\0/g, " ");
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return pids;
}

// Shared with the demo, which starts the same kind of servers outside the tests.
export { asSandboxUser as dropPrivilegesPrefix, isRoot, waitFor } from "../../../tools/demo/process";
