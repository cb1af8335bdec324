import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// tools/start.sh's supervision (tools/lib/children.sh): when one child ends (the emulator), every
// other child stops, including what a child started itself (npx's shell starts next-server).

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

describe("npm start's children", () => {
  it("should all stop, grandchildren included, when one of them dies", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-children-"));
    const pidFile = path.join(dir, "server.pid");
    const script = `
      set -euo pipefail
      source tools/lib/children.sh
      trap stop_children EXIT
      # Like npx: a wrapper whose own child is the server; TERM to the wrapper alone leaves the server running.
      start_child "the portal" bash -c 'sleep 300 & echo $! > "$1"; wait' _ "${pidFile}"
      start_child "the Jenkins emulator" bash -c 'sleep 1; exit 3'
      wait_for_first_exit
    `;
    const child = spawn("bash", ["-c", script], { cwd: process.cwd(), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const server = Number(fs.readFileSync(pidFile, "utf8"));
    try {
      expect(status).toBe(3);
      expect(stderr).toContain("the Jenkins emulator ended (status 3): stopping the others.");
      expect(await until(() => !alive(server), 5000)).toBe(true);
    } finally {
      if (alive(server)) process.kill(server, "SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
