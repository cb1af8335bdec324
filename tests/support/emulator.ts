import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "@/emulator/src/index";

// Starts a Jenkins emulator in-process on a free port with a fresh temp home.
// Credentials are generated per start; nothing secret is committed.

export interface TestEmulator extends Emulator {
  admin: { id: string; password: string; token: string };
  /** `Authorization` header value for the admin API token (crumb-exempt). */
  authHeader: string;
  /** fetch relative to the emulator URL, authenticated with the admin token unless `auth: false` */
  request(pathname: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  /** Polls until the queue item has an executable build and that build finished; returns the build JSON. */
  waitForBuild(queueId: number, timeoutMs?: number): Promise<BuildJson>;
  /** close() and remove the temp home */
  cleanup(): Promise<void>;
}

export interface BuildJson {
  number: number;
  result: string | null;
  building: boolean;
  url: string;
  [key: string]: unknown;
}

/** `extraUsers` join the helper's own admin (whose token `request` and `waitForBuild` use). */
export async function startTestEmulator(
  overrides: Partial<EmulatorOptions> = {},
  extraUsers: EmulatorOptions["users"] = [],
): Promise<TestEmulator> {
  const home = overrides.home ?? fs.mkdtempSync(path.join(os.tmpdir(), "jenkins-emulator-"));
  const admin = { id: "admin", password: randomBytes(12).toString("hex"), token: randomBytes(16).toString("hex") };
  const emulator = await startEmulator({
    port: 0,
    quietPeriodSeconds: 0,
    // CI runs the Jenkins-facing suites once per emulated line: JENKINS_EMULATOR_VERSION=2.492.3
    // selects the older one (tools/test-all.sh); unset, the emulator is the current LTS.
    ...(process.env.JENKINS_EMULATOR_VERSION ? { version: process.env.JENKINS_EMULATOR_VERSION } : {}),
    ...overrides,
    home,
    users: overrides.users ?? [{ id: admin.id, password: admin.password, apiTokens: [admin.token], admin: true }, ...extraUsers],
  });
  const authHeader = `Basic ${Buffer.from(`${admin.id}:${admin.token}`).toString("base64")}`;
  const request = (pathname: string, init: RequestInit & { auth?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth !== false && !headers.has("authorization")) headers.set("authorization", authHeader);
    return fetch(new URL(pathname.replace(/^\//, ""), emulator.url), { ...init, headers, redirect: "manual" });
  };
  const waitForBuild = async (queueId: number, timeoutMs = 30_000): Promise<BuildJson> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const item = (await (await request(`queue/item/${queueId}/api/json`)).json()) as {
        executable?: { url: string } | null;
        cancelled?: boolean;
      };
      if (item.cancelled) throw new Error(`queue item ${queueId} was cancelled`);
      if (item.executable) {
        const build = (await (await request(new URL("api/json", item.executable.url).pathname)).json()) as BuildJson;
        if (!build.building) return build;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`queue item ${queueId} did not finish within ${timeoutMs} ms`);
  };
  return {
    ...emulator,
    admin,
    authHeader,
    request,
    waitForBuild,
    async cleanup() {
      await emulator.close();
      if (!overrides.home) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Queue id from a build trigger's `Location: …/queue/item/ID/` header. */
export function queueIdFrom(response: Response): number {
  const location = response.headers.get("location") ?? "";
  const m = /\/queue\/item\/(\d+)\/$/.exec(location);
  if (!m) throw new Error(`no queue item in Location '${location}' (status ${response.status})`);
  return Number(m[1]);
}
