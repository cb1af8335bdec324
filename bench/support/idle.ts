import fs from "node:fs";

// Whether a process (and its children) is busy: CPU ticks from /proc, as `top` reads them.

function ticksOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14–17 of /proc/PID/stat (index 11–14 after the name)
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  } catch {
    return 0;
  }
}

function treeOf(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Share of one core the process tree used over windowMs (0.05 = 5 %). */
export async function cpuShare(pid: number, windowMs: number): Promise<number> {
  const before = treeOf(pid).reduce((s, p) => s + ticksOf(p), 0);
  await new Promise((r) => setTimeout(r, windowMs));
  const after = treeOf(pid).reduce((s, p) => s + ticksOf(p), 0);
  return (after - before) / CLOCK_TICKS_PER_SECOND / (windowMs / 1000);
}

/** Resolves once the process tree has used under maxShare of a core for a whole window. */
export async function waitForIdle(pid: number, opts: { windowMs: number; maxShare: number; timeoutMs: number }): Promise<boolean> {
  const deadline = performance.now() + opts.timeoutMs;
  while (performance.now() < deadline) if ((await cpuShare(pid, opts.windowMs)) < opts.maxShare) return true;
  return false;
}
