import { queueIdFrom, startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { freestyleXml, lf, rawLength } from "./fixtures";

// The behaviour of a real Jenkins that the portal must live with, on the emulated line
// (JENKINS_EMULATOR_VERSION selects it; CI runs this file on both). Sources: emulator/README.md.

jest.setTimeout(60_000);

const CURRENT_LINE = !process.env.JENKINS_EMULATOR_VERSION?.startsWith("2.492");
const ESC = "\u001b";
let jenkins: TestEmulator;
const reader = { id: "viewer", token: "viewer-token-0123456789" };

beforeAll(async () => {
  jenkins = await startTestEmulator({}, [{ id: reader.id, apiTokens: [reader.token], readOnly: true }]);
});
afterAll(async () => {
  await jenkins?.cleanup();
});

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
const call = (path: string, init: RequestInit = {}, auth?: string) =>
  jenkins.request(path, { ...init, headers: { ...(auth ? { authorization: auth } : {}), ...(init.headers as Record<string, string>) } });
const postXml = (path: string, body: string) => call(path, { method: "POST", headers: { "content-type": "application/xml" }, body });

describe("version", () => {
  it("should report the emulated line in X-Jenkins", async () => {
    const res = await call("api/json");
    expect(res.headers.get("x-jenkins")).toBe(CURRENT_LINE ? "2.568.2" : "2.492.3");
    expect(jenkins.version).toBe(res.headers.get("x-jenkins"));
  });
});

describe("config.xml is re-serialised", () => {
  const PASSWORD_JOB = freestyleXml({
    command: 'echo "pw=$PW"',
    parameters:
      "<hudson.model.PasswordParameterDefinition><name>PW</name><description/><defaultValue>hunter2</defaultValue></hudson.model.PasswordParameterDefinition>",
    extra: "<publishers><hudson.tasks.Mailer><recipients>ops@example.com</recipients></hudson.tasks.Mailer></publishers>",
  });

  it("should serve Jenkins' own serialisation after createItem: declaration, plugin versions, encrypted secrets", async () => {
    expect((await postXml("createItem?name=secretive", PASSWORD_JOB)).status).toBe(200);
    const served = await (await call("job/secretive/config.xml")).text();
    expect(served.startsWith("<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <actions/>\n")).toBe(true);
    expect(served).toMatch(
      CURRENT_LINE
        ? /<hudson\.tasks\.Mailer plugin="mailer@534\.v1b_36f5864073">/
        : /<hudson\.tasks\.Mailer plugin="mailer@489\.vd4b_25144138f">/,
    );
    expect(served).not.toContain("hunter2");
    expect(served).toMatch(/<defaultValue>\{AQAAAB[A-Za-z0-9+/]+={0,2}\}<\/defaultValue>/);
    // The build still gets the plain default.
    const build = await jenkins.waitForBuild(queueIdFrom(await call("job/secretive/buildWithParameters", { method: "POST" })));
    expect(build.result).toBe("SUCCESS");
  });

  it("should rewrite the file on disable/enable, keeping secrets that were already encrypted", async () => {
    const before = await (await call("job/secretive/config.xml")).text();
    expect((await call("job/secretive/disable", { method: "POST" })).status).toBe(302);
    const disabled = await (await call("job/secretive/config.xml")).text();
    expect(disabled).toContain("<disabled>true</disabled>");
    expect((await call("job/secretive/enable", { method: "POST" })).status).toBe(302);
    const after = await (await call("job/secretive/config.xml")).text();
    expect(after).toContain("<disabled>false</disabled>");
    expect(after.match(/\{AQAAAB[^}]+\}/)?.[0]).toBe(before.match(/\{AQAAAB[^}]+\}/)?.[0]);
    // Posting the plain text again encrypts it afresh (a new iv): the bytes change, the value not.
    expect((await postXml("job/secretive/config.xml", PASSWORD_JOB)).status).toBe(200);
    const reposted = await (await call("job/secretive/config.xml")).text();
    expect(reposted.match(/\{AQAAAB[^}]+\}/)?.[0]).not.toBe(before.match(/\{AQAAAB[^}]+\}/)?.[0]);
  });
});

describe("item names", () => {
  it("should treat names case-insensitively, trim spaces and refuse a trailing dot", async () => {
    expect((await postXml("createItem?name=Mixed", freestyleXml())).status).toBe(200);
    const dup = await postXml("createItem?name=MIXED", freestyleXml());
    expect(dup.status).toBe(400);
    expect(dup.headers.get("x-error")).toBe("A job already exists with the name ?MIXED?");
    const found = (await (await call("job/mIxEd/api/json?tree=name")).json()) as { name: string };
    expect(found.name).toBe("Mixed");
    const dot = await postXml("createItem?name=trailing.", freestyleXml());
    expect(dot.status).toBe(400);
    expect(dot.headers.get("x-error")).toBe("A name cannot end with ?.?");
    expect((await postXml(`createItem?name=${encodeURIComponent("  spaced  ")}`, freestyleXml())).status).toBe(200);
    expect((await call("job/spaced/api/json")).status).toBe(200);
  });
});

describe("error answers", () => {
  const secretText = (id: string | null, secret: string) =>
    `<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl><scope>GLOBAL</scope>${id === null ? "" : `<id>${id}</id>`}<description>d</description><secret>${secret}</secret></org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>`;
  const credentialPath = "credentials/store/system/domain/_/credential/cb/config.xml";

  it("should refuse a credential update whose <id> is another or missing with 500 IDs do not match", async () => {
    expect((await postXml("credentials/store/system/domain/_/createCredentials", secretText("cb", "s3cret"))).status).toBe(200);
    for (const body of [secretText("other", "x"), secretText(null, "x")]) {
      const res = await postXml(credentialPath, body);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain("Credentials&apos; IDs do not match, will not update.");
    }
    expect((await call("credentials/store/system/domain/_/credential/other/api/json")).status).toBe(404);
  });

  it("should blank a secret posted back redacted", async () => {
    const served = await (await call(credentialPath)).text();
    expect(served).toContain("<secret><secret-redacted/></secret>");
    expect((await postXml(credentialPath, served.replace("<description>d</description>", "<description>e</description>"))).status).toBe(
      200,
    );
    await postXml(
      "createItem?name=uses-secret",
      freestyleXml({
        command: 'test -z "$S" && echo blank',
        extra:
          "<buildWrappers><org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper><bindings><org.jenkinsci.plugins.credentialsbinding.impl.StringBinding><credentialsId>cb</credentialsId><variable>S</variable></org.jenkinsci.plugins.credentialsbinding.impl.StringBinding></bindings></org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper></buildWrappers>",
      }).replace("<buildWrappers/>", ""),
    );
    const build = await jenkins.waitForBuild(queueIdFrom(await call("job/uses-secret/build", { method: "POST" })));
    expect(build.result).toBe("SUCCESS");
    expect(await (await call("job/uses-secret/1/consoleText")).text()).toContain("\nblank\n");
  });

  it("should answer 500 to cancelling a queue item that already started, 404 to an unknown one", async () => {
    await postXml("createItem?name=quick", freestyleXml());
    const id = queueIdFrom(await call("job/quick/build", { method: "POST" }));
    await jenkins.waitForBuild(id);
    const cancel = await call(`queue/cancelItem?id=${id}`, { method: "POST" });
    expect(cancel.status).toBe(500);
    expect(await cancel.text()).toContain(`Could not cancel run for id ${id}`);
    expect((await call("queue/cancelItem?id=987654", { method: "POST" })).status).toBe(404);
  });
});

describe("a user with Overall/Read but no Job/Read", () => {
  const READER = basic(reader.id, reader.token);

  it("should see no jobs and get 404 for every job, existing or not", async () => {
    const root = await call("api/json?tree=jobs[name]", {}, READER);
    expect(root.status).toBe(200);
    expect(((await root.json()) as { jobs: unknown[] }).jobs).toEqual([]);
    for (const path of ["job/quick/api/json", "job/quick/1/api/json", "job/no-such-job/api/json"]) {
      expect((await call(path, {}, READER)).status).toBe(404);
    }
    expect((await call("job/quick/build", { method: "POST" }, READER)).status).toBe(404);
  });
});

describe("console notes", () => {
  it("should keep hyperlink notes in the raw log of a trigger, and strip them from consoleText", async () => {
    await postXml("createItem?name=child", freestyleXml());
    const trigger = `<builders><hudson.plugins.parameterizedtrigger.TriggerBuilder><configs><hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig><configs class="empty-list"/><projects>child</projects><condition>ALWAYS</condition><triggerWithNoParameters>true</triggerWithNoParameters><block><buildStepFailureThreshold><name>FAILURE</name><ordinal>2</ordinal><color>RED</color><completeBuild>true</completeBuild></buildStepFailureThreshold></block><buildAllNodesWithLabel>false</buildAllNodesWithLabel></hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig></configs></hudson.plugins.parameterizedtrigger.TriggerBuilder></builders>`;
    await postXml("createItem?name=parent", freestyleXml().replace(/<builders>[\s\S]*<\/builders>/, trigger));
    const build = await jenkins.waitForBuild(queueIdFrom(await call("job/parent/build", { method: "POST" })));
    expect(build.result).toBe("SUCCESS");
    const plain = await (await call("job/parent/1/consoleText")).text();
    expect(plain).toContain("Waiting for the completion of child\nchild #1 started.\nchild #1 completed. Result was SUCCESS\n");
    expect(plain).not.toContain(ESC);
    const res = await call("job/parent/1/logText/progressiveText?start=0");
    const body = await res.text();
    if (CURRENT_LINE) {
      expect(body).toMatch(new RegExp(`Waiting for the completion of ${ESC}\\[8mha:[A-Za-z0-9+/=]+${ESC}\\[0mchild\\r\\n`));
      expect(body).toMatch(new RegExp(`${ESC}\\[8mha:[A-Za-z0-9+/=]+${ESC}\\[0mchild #1 completed\\. Result was SUCCESS\\r\\n`));
      expect(Number(res.headers.get("x-text-size"))).toBe(rawLength(body));
    } else {
      expect(lf(body)).toBe(plain);
      expect(Number(res.headers.get("x-text-size"))).toBeGreaterThan(rawLength(body));
    }
  });
});
