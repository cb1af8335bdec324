import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { freestyleXml } from "./fixtures";

// throttle-concurrents' category (option "category", the category's limits from the global
// configuration): a plain and a -gpg pipeline job share the category restore-drill-pipelines
// (maxConcurrentPerNode 1), so on one agent of 2 executors they run one after the other, each
// with its blocking same-node stage on the other executor: never both at once, no deadlock
// (with a per-project throttle both would take an executor and wait forever for their stages).

jest.setTimeout(60_000);

let jenkins: TestEmulator;
let tmp: string;

const CATEGORY = "restore-drill-pipelines";
const throttle = `<hudson.plugins.throttleconcurrents.ThrottleJobProperty><maxConcurrentPerNode>0</maxConcurrentPerNode><maxConcurrentTotal>0</maxConcurrentTotal><throttleEnabled>true</throttleEnabled><categories><string>${CATEGORY}</string></categories><throttleOption>category</throttleOption></hudson.plugins.throttleconcurrents.ThrottleJobProperty>`;
const onAgent = "<assignedNode>restore-drill</assignedNode><canRoam>false</canRoam>";
const shell = (command: string) =>
  `<hudson.tasks.Shell><command>${command.replace(/&/g, "&amp;").replace(/>/g, "&gt;")}</command></hudson.tasks.Shell>`;
const sameNodeStage = `<hudson.plugins.parameterizedtrigger.TriggerBuilder><configs><hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig><configs><hudson.plugins.parameterizedtrigger.NodeParameters/></configs><projects>stage</projects><condition>ALWAYS</condition><triggerWithNoParameters>false</triggerWithNoParameters><block><buildStepFailureThreshold><name>FAILURE</name><ordinal>2</ordinal><color>RED</color><completeBuild>true</completeBuild></buildStepFailureThreshold></block><buildAllNodesWithLabel>false</buildAllNodesWithLabel></hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig></configs></hudson.plugins.parameterizedtrigger.TriggerBuilder>`;

const create = (name: string, xml: string) =>
  jenkins.request(`createItem?name=${name}`, { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
const trigger = async (name: string) => queueIdFrom(await jenkins.request(`job/${name}/build`, { method: "POST" }));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-throttle-"));
  jenkins = await startTestEmulator({
    nodes: [
      { name: "built-in", labels: [], executors: 1 },
      { name: "agent", labels: ["restore-drill"], executors: 2, remoteFS: path.join(tmp, "agent") },
    ],
    throttleCategories: [{ name: CATEGORY, maxConcurrentPerNode: 1, maxConcurrentTotal: 0 }],
  });
});
afterAll(async () => {
  await jenkins?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("throttle-concurrents category", () => {
  it("should run a plain and a -gpg pipeline build on one 2-executor agent one after the other, each with its stage", async () => {
    const events = path.join(tmp, "events");
    const gate = path.join(tmp, "gate");
    await create("stage", freestyleXml({ command: `echo "stage $NODE_NAME" >> ${events}; sleep 0.3`, concurrent: true, extra: onAgent }));
    for (const job of ["pipeline", "pipeline-gpg"]) {
      const builders = [
        shell(`echo "start ${job}" >> ${events}; while [ ! -e ${gate} ]; do sleep 0.05; done`),
        sameNodeStage,
        shell(`echo "end ${job}" >> ${events}`),
      ].join("");
      const xml = freestyleXml({ concurrent: true, extra: onAgent })
        .replace("<properties></properties>", `<properties>${throttle}</properties>`)
        .replace(/<builders>[\s\S]*<\/builders>/, `<builders>${builders}</builders>`);
      expect((await create(job, xml)).status).toBe(200);
    }
    const ids = [await trigger("pipeline"), await trigger("pipeline-gpg")];
    const why = async (id: number) => ((await (await jenkins.request(`queue/item/${id}/api/json`)).json()) as { why: string | null }).why;
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500)); // several queue rounds: the second must still wait
    expect(await why(ids[1]!)).toBe("Already running 1 builds on node");
    fs.writeFileSync(gate, "");
    const builds = await Promise.all(ids.map((id) => jenkins.waitForBuild(id, 30_000)));
    expect(builds.map((b) => b.result)).toEqual(["SUCCESS", "SUCCESS"]);
    expect(builds.map((b) => b.builtOn)).toEqual(["agent", "agent"]);
    const lines = fs.readFileSync(events, "utf8").trim().split("\n");
    // Strictly sequential: start, its stage, end — then the other build the same way.
    expect(lines).toEqual(["start pipeline", "stage agent", "end pipeline", "start pipeline-gpg", "stage agent", "end pipeline-gpg"]);
  });
});
