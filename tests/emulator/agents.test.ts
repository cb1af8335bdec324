import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type BuildJson, type TestEmulator } from "@/tests/support/emulator";
import { freestyleXml } from "./fixtures";

// Several agents: their own labels, executors and workspace roots (Slave.getWorkspaceRoot),
// label expressions, WorkspaceList's workspace@2 per node, parameterized-trigger's
// NodeParameters ("same-node") pinning a downstream build to the upstream build's node,
// and /computer/api/json as hudson.model.ComputerSet exports it.

jest.setTimeout(60_000);

let jenkins: TestEmulator;
let tmp: string;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const create = (name: string, xml: string) =>
  jenkins.request(`createItem?name=${name}`, { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
const trigger = async (name: string) => queueIdFrom(await jenkins.request(`job/${name}/build`, { method: "POST" }));
const onLabel = (label: string) => `<assignedNode>${label.replace(/&/g, "&amp;")}</assignedNode><canRoam>false</canRoam>`;
const workspaceOf = async (job: string, n: number) =>
  /in workspace (\S+)/.exec(await (await jenkins.request(`job/${job}/${n}/consoleText`)).text())?.[1];

interface ComputerJson {
  _class: string;
  displayName: string;
  numExecutors: number;
  idle: boolean;
  offline: boolean;
  assignedLabels: Array<{ name: string }>;
  executors: Array<{ idle: boolean; number: number; currentExecutable: { url: string } | null }>;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-agents-"));
  jenkins = await startTestEmulator({
    nodes: [
      { name: "built-in", labels: [], executors: 1 },
      { name: "agent-a", labels: ["restore-drill"], executors: 2, remoteFS: path.join(tmp, "a") },
      { name: "agent-b", labels: ["restore-drill", "linux"], executors: 2, remoteFS: path.join(tmp, "b") },
    ],
  });
});
afterAll(async () => {
  await jenkins?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("emulated agents", () => {
  it("should serve /computer/api/json with every node, its labels and executors", async () => {
    const tree = "totalExecutors,busyExecutors,computer[displayName,numExecutors,offline,assignedLabels[name],executors[number]]";
    const set = (await (await jenkins.request(`computer/api/json?tree=${tree}`)).json()) as {
      _class: string;
      totalExecutors: number;
      busyExecutors: number;
      computer: ComputerJson[];
    };
    expect(set._class).toBe("hudson.model.ComputerSet");
    expect(set.totalExecutors).toBe(5);
    expect(set.busyExecutors).toBe(0);
    expect(set.computer.map((c) => [c._class, c.displayName, c.numExecutors, c.offline])).toEqual([
      ["hudson.model.Hudson$MasterComputer", "Built-In Node", 1, false],
      ["hudson.slaves.SlaveComputer", "agent-a", 2, false],
      ["hudson.slaves.SlaveComputer", "agent-b", 2, false],
    ]);
    expect(set.computer[2]!.assignedLabels.map((l) => l.name).sort()).toEqual(["agent-b", "linux", "restore-drill"]);
    expect(set.computer[1]!.executors.map((e) => e.number)).toEqual([0, 1]);
    const one = await jenkins.request("computer/(built-in)/api/json");
    expect(((await one.json()) as ComputerJson).displayName).toBe("Built-In Node");
    expect((await jenkins.request("computer/nope/api/json")).status).toBe(404);
  });

  it("should honour label expressions and use the agent's own workspace root", async () => {
    await create("linux-only", freestyleXml({ extra: onLabel("restore-drill && linux") }));
    const build = await jenkins.waitForBuild(await trigger("linux-only"));
    expect(build.builtOn).toBe("agent-b");
    expect(await workspaceOf("linux-only", build.number)).toBe(path.join(tmp, "b", "workspace", "linux-only"));
  });

  it("should spread concurrent builds over the agents, workspace@2 on each, and show them busy", async () => {
    const gate = path.join(tmp, "gate");
    await create(
      "par",
      freestyleXml({ command: `while [ ! -e ${gate} ]; do sleep 0.05; done`, concurrent: true, extra: onLabel("restore-drill") }),
    );
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await trigger("par"));
    const busy = async () =>
      (await (await jenkins.request("computer/api/json?tree=busyExecutors,computer[idle,executors[currentExecutable[url]]]")).json()) as {
        busyExecutors: number;
        computer: ComputerJson[];
      };
    await waitFor(async () => (await busy()).busyExecutors === 4, "four busy executors");
    const set = await busy();
    expect(set.computer[0]!.idle).toBe(true);
    expect(
      set.computer
        .slice(1)
        .flatMap((c) => c.executors.map((e) => e.currentExecutable?.url ?? null))
        .every(Boolean),
    ).toBe(true);
    const queued = (await (await jenkins.request(`queue/item/${ids[4]}/api/json`)).json()) as { why: string };
    expect(queued.why).toBe("Waiting for next available executor on ‘restore-drill’");
    fs.writeFileSync(gate, "");
    const builds: BuildJson[] = await Promise.all(ids.map((id) => jenkins.waitForBuild(id)));
    expect(builds.every((b) => b.result === "SUCCESS")).toBe(true);
    const first4 = builds.slice(0, 4);
    expect(first4.filter((b) => b.builtOn === "agent-a")).toHaveLength(2);
    expect(first4.filter((b) => b.builtOn === "agent-b")).toHaveLength(2);
    const workspaces = await Promise.all(first4.map((b) => workspaceOf("par", b.number)));
    expect(new Set(workspaces)).toEqual(
      new Set(["a", "b"].flatMap((n) => [path.join(tmp, n, "workspace", "par"), path.join(tmp, n, "workspace", "par@2")])),
    );
  });

  it("should run a same-node downstream build on the upstream build's node, whatever its own label", async () => {
    await create(
      "child",
      freestyleXml({ command: 'echo "ran on $NODE_NAME in $WORKSPACE"', concurrent: true, extra: onLabel("restore-drill") }),
    );
    const sameNode = `<builders><hudson.plugins.parameterizedtrigger.TriggerBuilder><configs><hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig><configs><hudson.plugins.parameterizedtrigger.NodeParameters/></configs><projects>child</projects><condition>ALWAYS</condition><triggerWithNoParameters>false</triggerWithNoParameters><block><buildStepFailureThreshold><name>FAILURE</name><ordinal>2</ordinal><color>RED</color><completeBuild>true</completeBuild></buildStepFailureThreshold></block><buildAllNodesWithLabel>false</buildAllNodesWithLabel></hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig></configs></hudson.plugins.parameterizedtrigger.TriggerBuilder></builders>`;
    for (const node of ["agent-a", "agent-b"]) {
      await create(`parent-${node}`, freestyleXml({ extra: onLabel(node) }).replace(/<builders>[\s\S]*<\/builders>/, sameNode));
      const id = await trigger(`parent-${node}`);
      const parent = await jenkins.waitForBuild(id, 10_000).catch(async (e: Error) => {
        throw new Error(`${e.message}: ${await (await jenkins.request(`job/parent-${node}/1/consoleText`)).text()}`);
      });
      expect(parent.result).toBe("SUCCESS");
      expect(parent.builtOn).toBe(node);
      const log = await (await jenkins.request(`job/parent-${node}/${parent.number}/consoleText`)).text();
      expect(log).toContain(`Returning node parameter for ${node}`);
      const n = Number(/child #(\d+) completed/.exec(log)?.[1]);
      const child = (await (await jenkins.request(`job/child/${n}/api/json`)).json()) as BuildJson;
      expect(child.builtOn).toBe(node);
    }
  });
  it("should keep a throttled job (ThrottleJobProperty, per project) to its builds per node, the rest queued", async () => {
    const gate = path.join(tmp, "gate-throttle");
    const throttle =
      "<hudson.plugins.throttleconcurrents.ThrottleJobProperty><maxConcurrentPerNode>1</maxConcurrentPerNode><maxConcurrentTotal>0</maxConcurrentTotal><throttleEnabled>true</throttleEnabled><throttleOption>project</throttleOption></hudson.plugins.throttleconcurrents.ThrottleJobProperty>";
    await create(
      "throttled",
      freestyleXml({ command: `while [ ! -e ${gate} ]; do sleep 0.05; done`, concurrent: true, extra: onLabel("restore-drill") }).replace(
        "<properties></properties>",
        `<properties>${throttle}</properties>`,
      ),
    );
    const ids = [await trigger("throttled"), await trigger("throttled"), await trigger("throttled")];
    const why = async (id: number) => ((await (await jenkins.request(`queue/item/${id}/api/json`)).json()) as { why: string | null }).why;
    await waitFor(async () => (await why(ids[2]!)) !== null && (await why(ids[1]!)) === null, "two builds started, the third queued");
    // ThrottleQueueTaskDispatcher.canTake's refusal, as BuildableItem.getCauseOfBlockage reports it while an executor is idle.
    expect(await why(ids[2]!)).toBe("Already running 1 builds on node");
    fs.writeFileSync(gate, "");
    const builds = await Promise.all(ids.map((id) => jenkins.waitForBuild(id)));
    expect(new Set(builds.slice(0, 2).map((b) => b.builtOn))).toEqual(new Set(["agent-a", "agent-b"]));
    expect(builds.every((b) => b.result === "SUCCESS")).toBe(true);
  });

  it("should keep the jobs of one throttle category to its cap per node together, and ignore a category Jenkins does not define", async () => {
    const gate = path.join(tmp, "gate-category");
    const inCategory = (category: string) =>
      `<properties><hudson.plugins.throttleconcurrents.ThrottleJobProperty><maxConcurrentPerNode>0</maxConcurrentPerNode><maxConcurrentTotal>0</maxConcurrentTotal><throttleEnabled>true</throttleEnabled><categories><string>${category}</string></categories><throttleOption>category</throttleOption></hudson.plugins.throttleconcurrents.ThrottleJobProperty></properties>`;
    const job = (category: string) =>
      freestyleXml({ command: `while [ ! -e ${gate} ]; do sleep 0.05; done`, concurrent: true, extra: onLabel("linux") }).replace(
        "<properties></properties>",
        inCategory(category),
      );
    // Two different jobs (the plain and the -gpg pipeline) in the default category, on agent-b alone (2 executors).
    await create("category-plain", job("restore-drill-pipelines"));
    await create("category-gpg", job("restore-drill-pipelines"));
    await create("category-undefined", job("no-such-category"));
    const why = async (id: number) => ((await (await jenkins.request(`queue/item/${id}/api/json`)).json()) as { why: string | null }).why;
    const plain = await trigger("category-plain");
    const gpg = await trigger("category-gpg");
    await waitFor(async () => (await why(plain)) === null && (await why(gpg)) !== null, "the plain build started, the gpg one held");
    expect(await why(gpg)).toBe("Already running 1 builds on node");
    fs.writeFileSync(gate, "");
    const [first, second] = await Promise.all([jenkins.waitForBuild(plain), jenkins.waitForBuild(gpg)]);
    expect(second.timestamp as number).toBeGreaterThanOrEqual((first.timestamp as number) + (first.duration as number));
    fs.rmSync(gate);

    const undefinedCategory = [await trigger("category-undefined"), await trigger("category-undefined")];
    await waitFor(
      async () => (await why(undefinedCategory[0]!)) === null && (await why(undefinedCategory[1]!)) === null,
      "both started at once",
    );
    fs.writeFileSync(gate, "");
    const builds = await Promise.all(undefinedCategory.map((id) => jenkins.waitForBuild(id)));
    expect(builds.every((b) => b.builtOn === "agent-b" && b.result === "SUCCESS")).toBe(true);
  });
});
