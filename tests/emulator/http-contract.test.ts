import { queueIdFrom, startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { choiceParam, FOLDER_XML, freestyleXml, lf, rawLength, stringParam } from "./fixtures";

jest.setTimeout(60_000);

let jenkins: TestEmulator;
/** the emulated line: JENKINS_EMULATOR_VERSION=2.492.3 runs these tests against the older one */
const CURRENT_LINE = !process.env.JENKINS_EMULATOR_VERSION?.startsWith("2.492");
const JSON_TYPE = "application/json;charset=utf-8";

beforeAll(async () => {
  jenkins = await startTestEmulator();
});
afterAll(async () => {
  await jenkins?.cleanup();
});

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;

async function createJob(name: string, xml: string, parent = ""): Promise<Response> {
  return jenkins.request(`${parent}createItem?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8" },
    body: xml,
  });
}

async function json<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await jenkins.request(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(JSON_TYPE);
  return (await res.json()) as T;
}

describe("authentication and crumbs", () => {
  it("should answer 403 to anonymous requests and 401 to bad credentials", async () => {
    const anon = await jenkins.request("api/json", { auth: false });
    expect(anon.status).toBe(403);
    expect(anon.headers.get("x-you-are-authenticated-as")).toBe("anonymous");
    const bad = await jenkins.request("api/json", { headers: { authorization: basic("admin", "wrong") } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Basic realm="Jenkins"');
    expect(await bad.text()).toContain("Invalid password/token for user: admin");
  });

  it("should accept API tokens for POST without a crumb", async () => {
    expect((await createJob("token-no-crumb", freestyleXml())).status).toBe(200);
  });

  it("should require a session-bound crumb for password-authenticated POSTs", async () => {
    const auth = basic("admin", jenkins.admin.password);
    const noCrumb = await jenkins.request("createItem?name=pw-job", {
      method: "POST",
      headers: { authorization: auth, "content-type": "text/xml" },
      body: freestyleXml(),
    });
    expect(noCrumb.status).toBe(403);
    expect(await noCrumb.text()).toContain("No valid crumb was included in the request");

    const crumbRes = await jenkins.request("crumbIssuer/api/json", { headers: { authorization: auth } });
    expect(crumbRes.status).toBe(200);
    expect(crumbRes.headers.get("content-type")).toBe(JSON_TYPE);
    const cookie = crumbRes.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^JSESSIONID\.[0-9a-f]{8}=[^;]+; Path=\/; HttpOnly$/);
    const crumb = (await crumbRes.json()) as { _class: string; crumb: string; crumbRequestField: string };
    expect(crumb._class).toBe("hudson.security.csrf.DefaultCrumbIssuer");
    expect(crumb.crumbRequestField).toBe("Jenkins-Crumb");
    expect(crumb.crumb).toMatch(/^[0-9a-f]{64}$/);

    const withoutCookie = await jenkins.request("createItem?name=pw-job", {
      method: "POST",
      headers: { authorization: auth, "content-type": "text/xml", "Jenkins-Crumb": crumb.crumb },
      body: freestyleXml(),
    });
    expect(withoutCookie.status).toBe(403);
    const ok = await jenkins.request("createItem?name=pw-job", {
      method: "POST",
      headers: { authorization: auth, "content-type": "text/xml", "Jenkins-Crumb": crumb.crumb, cookie: cookie.split(";")[0]! },
      body: freestyleXml(),
    });
    expect(ok.status).toBe(200);
  });

  it("should deny non-admin users configuration and emulator controls", async () => {
    const other = await startTestEmulator({ users: [{ id: "alice", apiTokens: ["alice-token"] }] });
    try {
      const res = await other.request("createItem?name=x", {
        method: "POST",
        headers: { authorization: basic("alice", "alice-token"), "content-type": "text/xml" },
        body: freestyleXml(),
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("alice is missing the Job/Create permission");
      const read = await other.request("api/json", { headers: { authorization: basic("alice", "alice-token") } });
      expect(read.status).toBe(200);
    } finally {
      await other.cleanup();
    }
  });
});

describe("jobs", () => {
  it("should create, read, update and keep unknown XML elements", async () => {
    const xml = freestyleXml({ extra: '<com.example.UnknownPlugin plugin="x@1"><keep>me</keep></com.example.UnknownPlugin>' });
    expect((await createJob("roundtrip", xml)).status).toBe(200);
    const res = await jenkins.request("job/roundtrip/config.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml");
    const served = await res.text();
    expect(served.startsWith("<?xml version='1.1' encoding='UTF-8'?>")).toBe(true);
    // Re-serialised as Jenkins writes it; an element of a plugin the emulator does not know is kept.
    expect(served).toContain('  <com.example.UnknownPlugin plugin="x@1">\n    <keep>me</keep>\n  </com.example.UnknownPlugin>');
    const update = await jenkins.request("job/roundtrip/config.xml", {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: freestyleXml({ command: "echo updated" }),
    });
    expect(update.status).toBe(200);
    expect(await (await jenkins.request("job/roundtrip/config.xml")).text()).toContain("echo updated");
  });

  it.each([
    ["a duplicate name", "roundtrip", { "content-type": "text/xml" }, 400, "A job already exists with the name ?roundtrip?"],
    ["an unsafe character", "bad?name", { "content-type": "text/xml" }, 400, "??? is an unsafe character"],
    ["no content type", "no-type", {}, 400, "No Content-Type header set"],
  ])("should reject %s with 400 and X-Error", async (_label, name, headers, status, error) => {
    if (name === "roundtrip") await createJob("roundtrip", freestyleXml());
    const res = await jenkins.request(`createItem?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers,
      body: Buffer.from(freestyleXml()),
    });
    expect(res.status).toBe(status);
    expect(res.headers.get("x-error")).toBe(error);
  });

  it("should reject a missing name, bad XML and GET", async () => {
    const noName = await jenkins.request("createItem", { method: "POST", headers: { "content-type": "text/xml" }, body: freestyleXml() });
    expect(noName.status).toBe(400);
    expect(noName.headers.get("x-error")).toBe("Query parameter 'name' is required");
    const badXml = await createJob("broken", "<project><builders></project>");
    expect(badXml.status).toBe(500);
    expect((await jenkins.request("job/broken/api/json")).status).toBe(404);
    const get = await jenkins.request("createItem?name=x");
    expect(get.status).toBe(405);
  });

  it("should copy, disable, enable and delete with 302s", async () => {
    await createJob("source", freestyleXml({ command: "echo source" }));
    const copy = await jenkins.request("createItem?name=copied&mode=copy&from=source", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(copy.status).toBe(302);
    expect(copy.headers.get("location")).toBe(`${jenkins.url}job/copied/`);
    expect(await (await jenkins.request("job/copied/config.xml")).text()).toContain("echo source");
    const missing = await jenkins.request("createItem?name=c2&mode=copy&from=nope", { method: "POST" });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("x-error")).toBe("No such job: nope");

    const disable = await jenkins.request("job/copied/disable", { method: "POST" });
    expect(disable.status).toBe(302);
    expect(disable.headers.get("location")).toBe(`${jenkins.url}job/copied/`);
    let job = await json<{ disabled: boolean; buildable: boolean; color: string }>("job/copied/api/json");
    expect(job).toMatchObject({ disabled: true, buildable: false, color: "disabled" });
    expect(await (await jenkins.request("job/copied/config.xml")).text()).toContain("<disabled>true</disabled>");
    const conflict = await jenkins.request("job/copied/build", { method: "POST" });
    expect(conflict.status).toBe(409);
    expect(await conflict.text()).toBe("copied is not buildable\n");
    expect((await jenkins.request("job/copied/enable", { method: "POST" })).status).toBe(302);
    job = await json("job/copied/api/json");
    expect(job).toMatchObject({ disabled: false, buildable: true, color: "notbuilt" });

    const del = await jenkins.request("job/copied/doDelete", { method: "POST" });
    expect(del.status).toBe(302);
    expect((await jenkins.request("job/copied/api/json")).status).toBe(404);
    expect((await jenkins.request("job/source/", { method: "DELETE" })).status).toBe(204);
    expect((await jenkins.request("job/source/api/json", { method: "HEAD" })).status).toBe(404);
  });

  it("should serve folders, nested jobs and root listings", async () => {
    expect((await createJob("team", FOLDER_XML)).status).toBe(200);
    expect((await createJob("inner", freestyleXml(), "job/team/")).status).toBe(200);
    expect((await createJob("x", freestyleXml(), "job/missing-folder/")).status).toBe(404);
    const folder = await json<{ _class: string; jobs: unknown[] }>("job/team/api/json");
    expect(folder._class).toBe("com.cloudbees.hudson.plugins.folder.Folder");
    expect(folder.jobs).toEqual([
      { _class: "hudson.model.FreeStyleProject", name: "inner", url: `${jenkins.url}job/team/job/inner/`, color: "notbuilt" },
    ]);
    const inner = await json<{ fullName: string; name: string }>("job/team/job/inner/api/json");
    expect(inner).toMatchObject({ fullName: "team/inner", name: "inner" });
    const root = await json<{ _class: string; jobs: Array<{ name: string }> }>("api/json?tree=jobs[name,jobs[name]]");
    expect(root._class).toBe("hudson.model.Hudson");
    expect(root.jobs).toContainEqual({
      _class: "com.cloudbees.hudson.plugins.folder.Folder",
      name: "team",
      jobs: [{ _class: "hudson.model.FreeStyleProject", name: "inner" }],
    });
    expect(await jenkins.request("job/nope/api/json").then((r) => r.status)).toBe(404);
  });
});

describe("builds and the queue", () => {
  beforeAll(async () => {
    await createJob(
      "params",
      freestyleXml({
        command: 'echo "target=$TARGET env=$ENV"',
        parameters: stringParam("TARGET", "staging") + choiceParam("ENV", ["dev", "prod"]),
      }),
    );
    await createJob("plain", freestyleXml({ command: "echo one\necho two" }));
  });

  it("should trigger with 201 + queue Location and expose the left item", async () => {
    const res = await jenkins.request("job/plain/build?delay=0sec", { method: "POST" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${jenkins.url}queue/item/\\d+/$`));
    const id = queueIdFrom(res);
    const build = await jenkins.waitForBuild(id);
    expect(build).toMatchObject({
      _class: "hudson.model.FreeStyleBuild",
      result: "SUCCESS",
      building: false,
      queueId: id,
      number: 1,
      id: "1",
      displayName: "#1",
      fullDisplayName: "plain #1",
    });
    expect(build.duration).toBeGreaterThan(0);
    const item = await json<Record<string, unknown>>(`queue/item/${id}/api/json`);
    expect(item).toMatchObject({
      _class: "hudson.model.Queue$LeftItem",
      id,
      cancelled: false,
      blocked: false,
      buildable: false,
      url: `queue/item/${id}/`,
      why: null,
    });
    expect(item.executable).toEqual({ _class: "hudson.model.FreeStyleBuild", number: 1, url: `${jenkins.url}job/plain/1/` });
    expect(item.task).toEqual({ _class: "hudson.model.FreeStyleProject", name: "plain", url: `${jenkins.url}job/plain/`, color: "blue" });
  });

  it("should apply parameters, defaults and choices", async () => {
    const res = await jenkins.request("job/params/buildWithParameters", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ENV=prod&UNKNOWN=x",
    });
    expect(res.status).toBe(201);
    const build = await jenkins.waitForBuild(queueIdFrom(res));
    const params = (build.actions as Array<{ _class?: string; parameters?: unknown[] }>).find(
      (a) => a._class === "hudson.model.ParametersAction",
    );
    expect(params?.parameters).toEqual([
      { _class: "hudson.model.StringParameterValue", name: "TARGET", value: "staging" },
      { _class: "hudson.model.StringParameterValue", name: "ENV", value: "prod" },
    ]);
    const causes = (build.actions as Array<{ _class?: string; causes?: unknown[] }>).find((a) => a._class === "hudson.model.CauseAction");
    expect(causes?.causes).toEqual([
      { _class: "hudson.model.Cause$UserIdCause", shortDescription: "Started by user admin", userId: "admin", userName: "admin" },
    ]);
    const log = await (await jenkins.request(`job/params/${build.number}/consoleText`)).text();
    expect(log).toContain("target=staging env=prod");
    expect(log.split("\n")[0]).toBe("Started by user admin");
    expect(log.trimEnd().endsWith("Finished: SUCCESS")).toBe(true);
  });

  it("should reject /build on a parameterized job and buildWithParameters on a plain one", async () => {
    expect((await jenkins.request("job/params/build", { method: "POST" })).status).toBe(400);
    const res = await jenkins.request("job/plain/buildWithParameters", { method: "POST" });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("plain is not parameterized\n");
    const get = await jenkins.request("job/plain/build");
    expect(get.status).toBe(405);
    expect((await jenkins.request("job/nope/build", { method: "POST" })).status).toBe(404);
  });

  it("should keep items waiting during the quiet period and allow cancelling", async () => {
    const res = await jenkins.request("job/plain/build?delay=30sec", { method: "POST" });
    const id = queueIdFrom(res);
    const waiting = await json<Record<string, unknown>>(`queue/item/${id}/api/json`);
    expect(waiting._class).toBe("hudson.model.Queue$WaitingItem");
    expect(waiting.why).toMatch(/^In the quiet period\. Expires in \d+ (sec|min)/);
    expect(waiting).not.toHaveProperty("executable");
    const queue = await json<{ _class: string; items: Array<{ id: number }> }>("queue/api/json");
    expect(queue._class).toBe("hudson.model.Queue");
    expect(queue.items.map((i) => i.id)).toContain(id);
    const job = await json<{ inQueue: boolean }>("job/plain/api/json");
    expect(job.inQueue).toBe(true);
    expect((await jenkins.request(`queue/cancelItem?id=${id}`, { method: "POST" })).status).toBe(204);
    const left = await json<Record<string, unknown>>(`queue/item/${id}/api/json`);
    expect(left).toMatchObject({ _class: "hudson.model.Queue$LeftItem", cancelled: true, executable: null });
    expect((await jenkins.request("queue/item/999999/api/json")).status).toBe(404);
  });

  it("should honour tree= with ranges and depth", async () => {
    for (let i = 0; i < 2; i++) await jenkins.waitForBuild(queueIdFrom(await jenkins.request("job/plain/build", { method: "POST" })));
    const tree = await json<{ builds: unknown[]; color: string }>("job/plain/api/json?tree=builds[number,result]{0,2},color");
    expect(Object.keys(tree).sort()).toEqual(["_class", "builds", "color"]);
    expect(tree.builds).toEqual([
      { _class: "hudson.model.FreeStyleBuild", number: 3, result: "SUCCESS" },
      { _class: "hudson.model.FreeStyleBuild", number: 2, result: "SUCCESS" },
    ]);
    const single = await json<{ builds: Array<{ number: number }> }>("job/plain/api/json?tree=builds[number]{1}");
    expect(single.builds.map((b) => b.number)).toEqual([2]);
    const depth0 = await json<{ builds: Array<Record<string, unknown>>; lastSuccessfulBuild: unknown }>("job/plain/api/json");
    expect(depth0.builds[0]).toEqual({ _class: "hudson.model.FreeStyleBuild", number: 3, url: `${jenkins.url}job/plain/3/` });
    const depth1 = await json<{ builds: Array<Record<string, unknown>> }>("job/plain/api/json?depth=1");
    expect(depth1.builds[0]).toMatchObject({ number: 3, result: "SUCCESS", building: false });
  });

  it("should serve permalinks, consoleText and progressive logs", async () => {
    const last = await json<{ number: number }>("job/plain/lastBuild/api/json");
    expect(last.number).toBe(3);
    expect((await json<{ number: number }>("job/plain/lastSuccessfulBuild/api/json")).number).toBe(3);
    expect((await jenkins.request("job/plain/lastFailedBuild/api/json")).status).toBe(404);
    expect((await jenkins.request("job/plain/99/api/json")).status).toBe(404);
    const text = await jenkins.request("job/plain/3/consoleText");
    expect(text.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    const full = await text.text();
    expect(full).not.toContain("\u001b");
    const progressive = await jenkins.request("job/plain/3/logText/progressiveText?start=0");
    expect(progressive.status).toBe(200);
    expect(progressive.headers.get("x-more-data")).toBeNull();
    const body = await progressive.text();
    // The raw log holds the hyperlink note of "Started by user …"; offsets count raw bytes.
    const size = Number(progressive.headers.get("x-text-size"));
    expect(size).toBeGreaterThan(Buffer.byteLength(full));
    // Line ends arrive as "\r\n" (stapler's LineEndNormalizingWriter), on both lines.
    expect(body.endsWith("Finished: SUCCESS\r\n")).toBe(true);
    if (CURRENT_LINE) {
      expect(body).toMatch(/^Started by user \u001b\[8mha:[A-Za-z0-9+/=]+\u001b\[0madmin\r\n/);
      expect(size).toBe(rawLength(body));
    } else expect(lf(body)).toBe(full);
    const tail = await jenkins.request(`job/plain/3/logText/progressiveText?start=${size - 18}`);
    expect(await tail.text()).toBe("Finished: SUCCESS\r\n");
  });

  it("should stream a running build's log with X-More-Data and complete lines only, then stop it", async () => {
    await createJob("slow", freestyleXml({ command: "#!/bin/sh\necho started\nprintf partial\nsleep 30" }));
    const id = queueIdFrom(await jenkins.request("job/slow/build", { method: "POST" }));
    let chunk = "";
    let res: Response | undefined;
    for (let i = 0; i < 100 && !chunk.includes("started\r\n"); i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await jenkins.request("job/slow/1/logText/progressiveText", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "start=0",
      });
      chunk = await res.text();
    }
    await new Promise((r) => setTimeout(r, 300));
    res = await jenkins.request("job/slow/1/logText/progressiveText?start=0");
    chunk = await res.text();
    expect(res.headers.get("x-more-data")).toBe("true");
    expect(chunk.endsWith("started\r\n")).toBe(true);
    expect(chunk).not.toContain("partial");
    const size = Number(res.headers.get("x-text-size"));
    // Current line: X-Text-Size is the file's length, past the unfinished "partial" that was not
    // sent (JENKINS-26682). 2.492: the raw offset after the last whole line (notes stripped from
    // the body, so more than its length).
    if (CURRENT_LINE) expect(size).toBe(rawLength(chunk) + "partial".length);
    else expect(size).toBeGreaterThan(rawLength(chunk));
    const next = await jenkins.request(`job/slow/1/logText/progressiveText?start=${size}`);
    expect(await next.text()).toBe("");
    const building = await json<{ building: boolean; result: null; color?: string }>("job/slow/1/api/json");
    expect(building).toMatchObject({ building: true, result: null });
    expect((await json<{ color: string }>("job/slow/api/json?tree=color")).color).toBe("notbuilt_anime");
    const stop = await jenkins.request("job/slow/1/stop", { method: "POST" });
    expect(stop.status).toBe(302);
    const build = await jenkins.waitForBuild(id);
    expect(build.result).toBe("ABORTED");
    // Resuming at X-Text-Size: the current line has lost the unfinished line, 2.492 has not.
    const resumed = await (await jenkins.request(`job/slow/1/logText/progressiveText?start=${size}`)).text();
    if (CURRENT_LINE) expect(resumed).not.toContain("partial");
    else expect(resumed.startsWith("partial\r\n")).toBe(true);
    const log = await (await jenkins.request("job/slow/1/consoleText")).text();
    expect(log).toContain("Aborted by admin");
    expect(log.trimEnd().endsWith("Finished: ABORTED")).toBe(true);
    expect((await jenkins.request("job/slow/1/stop", { method: "POST" })).status).toBe(302);
  });
});

describe("emulator extensions", () => {
  it("should fire a job's timer and simulate a restart with 503s", async () => {
    await createJob(
      "timed",
      freestyleXml({ extra: "<triggers><hudson.triggers.TimerTrigger><spec>H 2 * * *</spec></hudson.triggers.TimerTrigger></triggers>" }),
    );
    const fire = await jenkins.request("emulator/job/timed/fireTimer", { method: "POST" });
    expect(fire.status).toBe(201);
    const build = await jenkins.waitForBuild(queueIdFrom(fire));
    const causes = (build.actions as Array<{ _class?: string; causes?: Array<{ _class: string }> }>).find(
      (a) => a._class === "hudson.model.CauseAction",
    );
    expect(causes?.causes?.[0]?._class).toBe("hudson.triggers.TimerTrigger$TimerTriggerCause");

    const restart = await jenkins.request("emulator/restart?downSeconds=1", { method: "POST" });
    expect(restart.status).toBe(202);
    const down = await jenkins.request("api/json");
    expect(down.status).toBe(503);
    expect(await down.text()).toContain("Please wait while Jenkins is restarting");
    await new Promise((r) => setTimeout(r, 1100));
    expect((await jenkins.request("api/json")).status).toBe(200);
  });
});
