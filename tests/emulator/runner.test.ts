import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { freestyleXml } from "./fixtures";

jest.setTimeout(60_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("build runner", () => {
  let jenkins: TestEmulator;
  let tmp: string;
  beforeAll(async () => {
    jenkins = await startTestEmulator({ nodes: [{ name: "built-in", labels: ["restore-drill"], executors: 2 }] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-runner-"));
  });
  afterAll(async () => {
    await jenkins?.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const create = (name: string, xml: string) =>
    jenkins.request(`createItem?name=${name}`, { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
  const trigger = async (name: string) => queueIdFrom(await jenkins.request(`job/${name}/build`, { method: "POST" }));

  it("should kill the whole process tree, including setsid'd children, on stop", async () => {
    const pids = path.join(tmp, "pids");
    await create("tree", freestyleXml({ command: `setsid sleep 300 &\necho $! > ${pids}\nsleep 300 &\necho $! >> ${pids}\nsleep 300` }));
    const id = await trigger("tree");
    await waitFor(() => fs.existsSync(pids) && fs.readFileSync(pids, "utf8").trim().split("\n").length === 2, "background pids");
    const children = fs.readFileSync(pids, "utf8").trim().split("\n").map(Number);
    expect(children.every(alive)).toBe(true);
    expect((await jenkins.request("job/tree/1/stop", { method: "POST" })).status).toBe(302);
    expect((await jenkins.waitForBuild(id)).result).toBe("ABORTED");
    await waitFor(() => !children.some(alive), "process tree to die");
  });

  it("should kill leftover background processes at the end of a build unless the cookie is overridden", async () => {
    const pidFile = path.join(tmp, "leftover");
    const keptFile = path.join(tmp, "kept");
    await create(
      "leftover",
      freestyleXml({
        command: `sleep 300 &\necho $! > ${pidFile}\nJENKINS_NODE_COOKIE=dontKillMe sleep 300 > /dev/null 2>&1 &\necho $! > ${keptFile}`,
      }),
    );
    expect((await jenkins.waitForBuild(await trigger("leftover"))).result).toBe("SUCCESS");
    const leftover = Number(fs.readFileSync(pidFile, "utf8"));
    const kept = Number(fs.readFileSync(keptFile, "utf8"));
    await waitFor(() => !alive(leftover), "leftover to be killed");
    try {
      expect(alive(kept)).toBe(true);
    } finally {
      if (alive(kept)) process.kill(kept, "SIGKILL");
    }
  });

  it("should run concurrent builds in separate workspaces and block non-concurrent ones", async () => {
    const gate = path.join(tmp, "gate");
    const wait = `while [ ! -e ${gate} ]; do sleep 0.05; done; pwd`;
    await create("para", freestyleXml({ command: wait, concurrent: true }));
    await create("serial", freestyleXml({ command: wait }));
    const [p1, p2] = [await trigger("para"), await trigger("para")];
    await waitFor(
      async () =>
        (
          (await (await jenkins.request("job/para/api/json?tree=builds[building]")).json()) as { builds: Array<{ building: boolean }> }
        ).builds.filter((b) => b.building).length === 2,
      "two parallel builds",
    );
    const s1 = await trigger("serial");
    await new Promise((r) => setTimeout(r, 300));
    const blocked = (await (await jenkins.request(`queue/item/${s1}/api/json`)).json()) as { _class: string; why: string };
    expect(blocked._class).toBe("hudson.model.Queue$BuildableItem");
    expect(blocked.why).toBe("Waiting for next available executor");
    fs.writeFileSync(gate, "");
    const builds = await Promise.all([p1, p2, s1].map((id) => jenkins.waitForBuild(id)));
    expect(builds.map((b) => b.result)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    const logs = await Promise.all([1, 2].map(async (n) => (await jenkins.request(`job/para/${n}/consoleText`)).text()));
    const workspaces = logs.map((l) => /in workspace (\S+)/.exec(l)?.[1]);
    expect(new Set(workspaces).size).toBe(2);
    expect(workspaces.some((w) => w?.endsWith("/workspace/para@2"))).toBe(true);
  });

  it("should expose the standard build variables", async () => {
    await create(
      "vars",
      freestyleXml({ command: 'echo "N=$BUILD_NUMBER J=$JOB_NAME U=$BUILD_URL W=$WORKSPACE R=$JENKINS_URL T=$BUILD_TAG L=$NODE_NAME"' }),
    );
    await jenkins.waitForBuild(await trigger("vars"));
    const log = await (await jenkins.request("job/vars/1/consoleText")).text();
    expect(log).toContain(
      `N=1 J=vars U=${jenkins.url}job/vars/1/ W=${jenkins.home}/workspace/vars R=${jenkins.url} T=jenkins-vars-1 L=built-in`,
    );
  });
});

describe("persistence", () => {
  it("should keep jobs, builds, credentials and nextBuildNumber across a restart", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-persist-"));
    try {
      const first = await startTestEmulator({ home });
      await first.request("createItem?name=kept", { method: "POST", headers: { "content-type": "text/xml" }, body: freestyleXml() });
      await first.waitForBuild(queueIdFrom(await first.request("job/kept/build", { method: "POST" })));
      const cred = `<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl><scope>GLOBAL</scope><id>kept-cred</id><secret>persisted-secret</secret></org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>`;
      await first.request("credentials/store/system/domain/_/createCredentials", {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: cred,
      });
      await first.close();
      expect(fs.statSync(path.join(home, "credentials.json")).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(path.join(home, "jobs", "kept", "config.xml"))).toBe(true);
      expect(fs.existsSync(path.join(home, "jobs", "kept", "builds", "1", "build.json"))).toBe(true);

      const second = await startTestEmulator({ home });
      try {
        const job = (await (await second.request("job/kept/api/json")).json()) as {
          nextBuildNumber: number;
          lastBuild: { number: number };
        };
        expect(job.nextBuildNumber).toBe(2);
        expect(job.lastBuild.number).toBe(1);
        expect((await second.request("credentials/store/system/domain/_/credential/kept-cred/api/json")).status).toBe(200);
        const next = await second.waitForBuild(queueIdFrom(await second.request("job/kept/build", { method: "POST" })));
        expect(next.number).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
