import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// tools/start.sh's supervision (tools/lib/children.sh): when one child ends (the emulator), every
// other child stops, including what a child started itself (npx's shell starts next-server).

// Real processes on a shared machine: more time than the unit project's default.
jest.setTimeout(30_000);

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

describe("npm start's portal", () => {
  const script = fs.readFileSync("tools/start.sh", "utf8");

  it("should listen on loopback unless PORTAL_HOST says otherwise", async () => {
    const assignment = /^portal_host=.*$/m.exec(script)?.[0];
    expect(assignment).toBeDefined();
    const hostWith = async (env: Record<string, string>) => {
      const base = { ...process.env };
      delete base.PORTAL_HOST;
      const child = spawn("bash", ["-c", `${assignment}; printf %s "$portal_host"`], { env: { ...base, ...env } });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      await new Promise((resolve) => child.on("exit", resolve));
      return out;
    };
    expect(await hostWith({})).toBe("127.0.0.1");
    expect(await hostWith({ PORTAL_HOST: "0.0.0.0" })).toBe("0.0.0.0");
    // The one line that starts the portal binds to it, and is started as a supervised child.
    const start = script.split("\n").filter((line) => /\bnext start\b/.test(line));
    expect(start).toEqual([
      expect.stringMatching(/^start_child "the portal" node_modules\/\.bin\/next start -p "\$PORT" -H "\$portal_host"$/),
    ]);
  });
});
