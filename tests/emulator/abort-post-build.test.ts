import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type BuildJson, type TestEmulator } from "@/tests/support/emulator";

// An abort interrupts the builders only: Run.execute records ABORTED, then
// post2 still performs the publishers, so a PostBuildScript whose results
// include ABORTED runs its steps (a blocking trigger among them starts a new
// build) and a post-build trigger on ALWAYS fires. parameterized-trigger's
// TriggerBuilder, interrupted while waiting for a started downstream build,
// leaves that build running. Jobs come from
// tests/emulator/fixtures/abort-post-build.yaml rendered by `jenkins-jobs test`.

jest.setTimeout(90_000);

let jenkins: TestEmulator;
let tmp: string;

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function build(job: string, params: Record<string, string>): Promise<number> {
  const res = await jenkins.request(`job/${job}/buildWithParameters`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(201);
  return queueIdFrom(res);
}

async function buildJson(job: string, n: number): Promise<BuildJson | undefined> {
  const res = await jenkins.request(`job/${job}/${n}/api/json`);
  return res.status === 200 ? ((await res.json()) as BuildJson) : undefined;
}

async function consoleOf(job: string, n: number): Promise<string> {
  return (await jenkins.request(`job/${job}/${n}/consoleText`)).text();
}

function markerDir(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  return dir;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-abort-post-"));
  const out = path.join(tmp, "out");
  execFileSync("jenkins-jobs", ["test", "-o", out, path.join(__dirname, "fixtures", "abort-post-build.yaml")], {
    stdio: "pipe",
    env: { ...process.env, HOME: tmp },
  });
  jenkins = await startTestEmulator({ nodes: [{ name: "built-in", labels: [], executors: 4 }] });
  for (const name of fs.readdirSync(out)) {
    const res = await jenkins.request(`createItem?name=${name}`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: fs.readFileSync(path.join(out, name), "utf8"),
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await jenkins?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("publishers after an abort", () => {
  it("should end ABORTED and still run the PostBuildScript steps for ABORTED, its blocking trigger and the ALWAYS trigger", async () => {
    const dir = markerDir("sleeping");
    const queueId = await build("ab-parent", { MARKER_DIR: dir });
    await waitFor(() => fs.existsSync(path.join(dir, "started")), "the builder to start");
    expect((await jenkins.request("job/ab-parent/1/stop", { method: "POST" })).status).toBe(302);

    const parent = await jenkins.waitForBuild(queueId, 60_000);
    expect(parent.result).toBe("ABORTED");
    expect(fs.readFileSync(path.join(dir, "post-build"), "utf8").trim()).toBe("post-build of 1");
    expect(fs.existsSync(path.join(dir, "on-success"))).toBe(false);
    // The blocking trigger inside the post-build step waited for its build.
    expect(fs.readFileSync(path.join(dir, "blocking-downstream"), "utf8")).toMatch(/^downstream of \d+$/m);
    const log = await consoleOf("ab-parent", 1);
    expect(log).toContain("Aborted by admin");
    expect(log).toMatch(/ab-downstream #\d+ completed\. Result was SUCCESS/);
    expect(log).not.toContain("The execution of post build steps failed");
    expect(log.trimEnd().endsWith("Finished: ABORTED")).toBe(true);
    // The post-build trigger is fire-and-forget: its build may finish later.
    await waitFor(() => fs.existsSync(path.join(dir, "always-downstream")), "the ALWAYS post-build trigger's build");
  });

  it("should leave a started downstream build running when the builder blocked on it is aborted, and still run the publishers", async () => {
    const dir = markerDir("blocked");
    const queueId = await build("ab-blocked-parent", { MARKER_DIR: dir });
    await waitFor(async () => (await buildJson("ab-held-child", 1))?.building === true, "the held child to start");
    await waitFor(
      async () => (await consoleOf("ab-blocked-parent", 1)).includes("ab-held-child #1 started."),
      "the parent to see the child start",
    );
    expect((await jenkins.request("job/ab-blocked-parent/1/stop", { method: "POST" })).status).toBe(302);

    const parent = await jenkins.waitForBuild(queueId, 60_000);
    expect(parent.result).toBe("ABORTED");
    expect(fs.existsSync(path.join(dir, "post-build"))).toBe(true);
    expect((await buildJson("ab-held-child", 1))?.building).toBe(true);

    fs.writeFileSync(path.join(dir, "release"), "");
    await waitFor(async () => (await buildJson("ab-held-child", 1))?.building === false, "the held child to finish");
    expect((await buildJson("ab-held-child", 1))?.result).toBe("SUCCESS");
  });

  it("should interrupt the post-build steps too when stopped a second time", async () => {
    const dir = markerDir("twice");
    const queueId = await build("ab-slow-post", { MARKER_DIR: dir });
    await waitFor(() => fs.existsSync(path.join(dir, "started")), "the builder to start");
    expect((await jenkins.request("job/ab-slow-post/1/stop", { method: "POST" })).status).toBe(302);
    await waitFor(() => fs.existsSync(path.join(dir, "post-started")), "the post-build step to start");
    expect((await buildJson("ab-slow-post", 1))?.building).toBe(true);
    expect((await jenkins.request("job/ab-slow-post/1/stop", { method: "POST" })).status).toBe(302);

    const post = await jenkins.waitForBuild(queueId, 60_000);
    expect(post.result).toBe("ABORTED");
    expect(fs.existsSync(path.join(dir, "post-finished"))).toBe(false);
  });
});
