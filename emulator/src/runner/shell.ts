import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ConsoleLog } from "./console-log";

// hudson.tasks.Shell: the command goes into <workspace>@tmp/jenkinsNNN.sh;
// a `#!` first line names the interpreter, otherwise `/bin/sh -xe FILE`.

export interface ShellContext {
  workspace: string;
  env: Record<string, string>;
  log: ConsoleLog;
  /** registers the process group so an abort can kill it */
  track(pid: number): () => void;
}

export type ShellOutcome = { exitCode: number; signal: NodeJS.Signals | null };

function commandLine(command: string, script: string): string[] {
  if (!command.startsWith("#!")) return ["/bin/sh", "-xe", script];
  const firstLine = command.split(/\r?\n/, 1)[0]!.slice(2).trim();
  return [...firstLine.split(/\s+/).filter(Boolean), script];
}

export async function runShell(ctx: ShellContext, command: string): Promise<ShellOutcome> {
  const tmpDir = `${ctx.workspace}@tmp`;
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.mkdirSync(ctx.workspace, { recursive: true });
  const script = path.join(tmpDir, `jenkins${randomInt(1e9, 1e10 - 1)}${randomInt(1e9, 1e10 - 1)}.sh`);
  fs.writeFileSync(script, command.replace(/\r\n/g, "\n"), { mode: 0o600 });
  const argv = commandLine(command, script);
  ctx.log.println(`[${path.basename(ctx.workspace)}] $ ${argv.join(" ")}`);
  try {
    return await new Promise<ShellOutcome>((resolve) => {
      // Jenkins merges stderr into stdout at the fd level, which keeps `set -x` traces in order.
      const child = spawn("/bin/sh", ["-c", 'exec "$@" 2>&1', "sh", ...argv], {
        cwd: ctx.workspace,
        env: ctx.env as NodeJS.ProcessEnv,
        detached: true,
        stdio: ["ignore", "pipe", "ignore"],
      });
      const untrack = child.pid !== undefined ? ctx.track(child.pid) : () => undefined;
      child.stdout.setEncoding("utf8").on("data", (d: string) => ctx.log.write(d));
      child.on("error", (err) => {
        ctx.log.println(`java.io.IOException: Cannot run program "${argv[0]}": ${err.message}`);
        untrack();
        resolve({ exitCode: -1, signal: null });
      });
      // Like Jenkins, the step ends when the process exits even if a background
      // child still holds the output pipe ("Process leaked file descriptors").
      child.on("exit", (code, signal) => {
        const finish = () => {
          child.stdout.destroy();
          ctx.log.flushPartial();
          untrack();
          resolve({ exitCode: code ?? (signal ? 128 + (signal === "SIGKILL" ? 9 : 15) : -1), signal });
        };
        if (child.stdout.readableEnded) finish();
        else {
          const timer = setTimeout(finish, 250);
          child.stdout.once("end", () => {
            clearTimeout(timer);
            finish();
          });
        }
      });
    });
  } finally {
    fs.rmSync(script, { force: true });
  }
}
