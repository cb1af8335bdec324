import fs from "node:fs";

// Jenkins' ProcessTreeKiller: at the end of a build (and on abort) every
// process whose environment still carries the build's JENKINS_NODE_COOKIE is
// killed, even ones that detached with setsid. Overriding the cookie (or
// BUILD_ID=dontKillMe) escapes it, exactly as on a real Jenkins.

function environOf(pid: string): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
  } catch {
    return undefined;
  }
}

export function findProcessesByCookie(cookie: string, buildId: string): number[] {
  if (!fs.existsSync("/proc")) return [];
  const needed = [`JENKINS_NODE_COOKIE=${cookie}`, `BUILD_ID=${buildId}`];
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const env = environOf(entry);
    if (env && needed.every((n) => env.includes(n))) found.push(Number(entry));
  }
  return found;
}

export function killProcessesByCookie(cookie: string, buildId: string, signal: NodeJS.Signals = "SIGTERM"): number {
  const pids = findProcessesByCookie(cookie, buildId);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  return pids.length;
}
