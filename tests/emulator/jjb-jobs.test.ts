import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type BuildJson, type TestEmulator } from "@/tests/support/emulator";

// Renders tests/emulator/fixtures/jjb-jobs.yaml with the real `jenkins-jobs
// test` and runs the output unchanged on the emulator.

jest.setTimeout(60_000);

let jenkins: TestEmulator;
let tmp: string;
const secrets = { passphrase: "", token: "", fileBody: "", key: "" };

type Action = { _class?: string; parameters?: Array<{ name: string; value?: string }>; causes?: Array<Record<string, unknown>> };
const actionOf = (b: BuildJson, cls: string) => (b.actions as Action[]).find((a) => a._class === cls);
const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function createCredential(xml: string): Promise<void> {
  const res = await jenkins.request("credentials/store/system/domain/_/createCredentials", {
    method: "POST",
    headers: { "content-type": "application/xml" },
    body: xml,
  });
  expect(res.status).toBe(200);
}

async function runParent(params: Record<string, string>): Promise<BuildJson> {
  const res = await jenkins.request("job/fx-parent/buildWithParameters", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(201);
  return jenkins.waitForBuild(queueIdFrom(res), 60_000);
}

async function consoleOf(job: string, n: number): Promise<string> {
  return (await jenkins.request(`job/${job}/${n}/consoleText`)).text();
}

async function waitForChildBuild(n: number): Promise<BuildJson> {
  for (let i = 0; i < 200; i++) {
    const res = await jenkins.request(`job/fx-child/${n}/api/json`);
    if (res.status === 200) {
      const b = (await res.json()) as BuildJson;
      if (!b.building) return b;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fx-child #${n} never finished`);
}

const outbox = () => (fs.existsSync(jenkins.outboxDir) ? fs.readdirSync(jenkins.outboxDir).sort() : []);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jjb-fixture-"));
  execFileSync("jenkins-jobs", ["test", "-o", path.join(tmp, "out"), path.join(__dirname, "fixtures", "jjb-jobs.yaml")], {
    stdio: "pipe",
    env: { ...process.env, HOME: tmp },
  });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "fixture", "-f", path.join(tmp, "key")]);
  secrets.key = fs.readFileSync(path.join(tmp, "key"), "utf8").trim();
  secrets.passphrase = `pp-${randomBytes(8).toString("hex")}`;
  secrets.token = `tok-${randomBytes(8).toString("hex")}`;
  secrets.fileBody = `DB_PASSWORD=${randomBytes(8).toString("hex")}\n`;

  jenkins = await startTestEmulator();
  await createCredential(
    `<com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey><scope>GLOBAL</scope><id>fx-ssh</id><description/><username>deploy</username><privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource"><privateKey>${xmlEscape(secrets.key)}</privateKey></privateKeySource><passphrase>${secrets.passphrase}</passphrase></com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>`,
  );
  await createCredential(
    `<org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl><scope>GLOBAL</scope><id>fx-file</id><description/><fileName>restore.env</fileName><secretBytes>${Buffer.from(secrets.fileBody).toString("base64")}</secretBytes></org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>`,
  );
  await createCredential(
    `<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl><scope>GLOBAL</scope><id>fx-text</id><description/><secret>${secrets.token}</secret></org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>`,
  );
  for (const name of ["fx-child", "fx-parent"]) {
    const res = await jenkins.request(`createItem?name=${name}`, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8" },
      body: fs.readFileSync(path.join(tmp, "out", name)),
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await jenkins?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("JJB-rendered jobs on the emulator", () => {
  let first: BuildJson;

  it("should run parameters, bindings, a blocking trigger, archive and post-build steps", async () => {
    first = await runParent({ TARGET: "prod", CHILD_MODE: "pass" });
    const log = await consoleOf("fx-parent", first.number);
    expect(first.result).toBe("SUCCESS");
    expect(log).toContain("user=deploy");
    expect(log).toMatch(/key=\*\*\*\* user=deploy pass=\*\*\*\*/);
    expect(log).toContain("token=****");
    for (const secret of [secrets.passphrase, secrets.token, "secretFiles"]) expect(log).not.toContain(secret);
    expect(log).toContain("Waiting for the completion of fx-child");
    expect(log).toContain("fx-child #1 started.");
    expect(log).toContain("fx-child #1 completed. Result was SUCCESS");
    expect(log).toContain("post-build cleanup for prod");
    expect(log).toContain("Triggering a new build of fx-child");
    expect(log.trimEnd().endsWith("Finished: SUCCESS")).toBe(true);

    const artifacts = (first.artifacts as Array<{ relativePath: string }>).map((a) => a.relativePath);
    expect(artifacts).toEqual(["out-config.txt", "out-key-mode.txt", "out-key-path.txt", "out/logs/report.log"]);
    expect(await (await jenkins.request(`job/fx-parent/${first.number}/artifact/out-config.txt`)).text()).toBe(secrets.fileBody);
    expect((await (await jenkins.request(`job/fx-parent/${first.number}/artifact/out-key-mode.txt`)).text()).trim()).toBe("400");
    const keyPath = (await (await jenkins.request(`job/fx-parent/${first.number}/artifact/out-key-path.txt`)).text()).trim();
    expect(keyPath).toContain("@tmp/secretFiles/");
    expect(fs.existsSync(keyPath)).toBe(false);
    expect((await jenkins.request(`job/fx-parent/${first.number}/artifact/nope.txt`)).status).toBe(404);
    expect(outbox()).toEqual([]);
  });

  it("should pass predefined parameters and an upstream cause to the child", async () => {
    const child = await waitForChildBuild(1);
    expect(child.result).toBe("SUCCESS");
    expect(actionOf(child, "hudson.model.ParametersAction")?.parameters).toEqual([
      { _class: "hudson.model.StringParameterValue", name: "TARGET", value: `prod-${first.number}` },
      { _class: "hudson.model.StringParameterValue", name: "MODE", value: "pass" },
    ]);
    expect(actionOf(child, "hudson.model.CauseAction")?.causes).toEqual([
      {
        _class: "hudson.model.Cause$UpstreamCause",
        shortDescription: `Started by upstream project "fx-parent" build number ${first.number}`,
        upstreamBuild: first.number,
        upstreamProject: "fx-parent",
        upstreamUrl: "job/fx-parent/",
      },
    ]);
    const childLog = await consoleOf("fx-child", 1);
    expect(childLog.split("\n").slice(0, 3)).toEqual([
      `Started by upstream project "fx-parent" build number ${first.number}`,
      "originally caused by:",
      " Started by user admin",
    ]);
    const always = await waitForChildBuild(2);
    expect(actionOf(always, "hudson.model.ParametersAction")?.parameters?.[0]).toMatchObject({
      name: "TARGET",
      value: `always-after-${first.number}`,
    });
  });

  it("should fail through the trigger threshold, mail the failure and mail back-to-normal", async () => {
    const failed = await runParent({ TARGET: "prod", CHILD_MODE: "fail" });
    expect(failed.result).toBe("FAILURE");
    const log = await consoleOf("fx-parent", failed.number);
    expect(log).toMatch(/fx-child #\d+ completed\. Result was FAILURE/);
    expect(log).toContain("post-build cleanup for prod");
    expect(log).toContain("Sending e-mails to: ops@example.com");
    const [failMail] = outbox();
    expect(failMail).toMatch(new RegExp(`^\\d{8}T\\d{9}Z-fx-parent-${failed.number}\\.eml$`));
    const message = fs.readFileSync(path.join(jenkins.outboxDir, failMail!), "utf8");
    expect(message).toContain("To: ops@example.com\n");
    expect(message).toContain(`Subject: Build failed in Jenkins: fx-parent #${failed.number}\n`);
    expect(message).toContain(`See <${jenkins.url}job/fx-parent/${failed.number}/>`);
    expect(message).not.toContain(secrets.token);

    const fixed = await runParent({ TARGET: "prod", CHILD_MODE: "pass" });
    expect(fixed.result).toBe("SUCCESS");
    const mails = outbox();
    expect(mails).toHaveLength(2);
    expect(fs.readFileSync(path.join(jenkins.outboxDir, mails[1]!), "utf8")).toContain(
      `Subject: Jenkins build is back to normal : fx-parent #${fixed.number}\n`,
    );
  });

  it("should keep parameter values inert (no shell evaluation in predefined parameters)", async () => {
    const marker = path.join(tmp, "pwned");
    const build = await runParent({ TARGET: `$(touch ${marker})`, CHILD_MODE: "pass" });
    expect(build.result).toBe("SUCCESS");
    expect(fs.existsSync(marker)).toBe(false);
    const log = await consoleOf("fx-parent", build.number);
    expect(log).toContain(`fx-child`);
    const children = (await (
      await jenkins.request("job/fx-child/api/json?tree=builds[number,actions[parameters[name,value]]]")
    ).json()) as { builds: BuildJson[] };
    const values = children.builds.flatMap((b) => (b.actions as Action[]).flatMap((a) => a.parameters ?? [])).map((p) => p.value);
    expect(values).toContain(`$(touch ${marker})-${build.number}`);
  });

  it("should fire the timer with a TimerTriggerCause", async () => {
    const id = await jenkins.fireTimer("fx-parent");
    const build = await jenkins.waitForBuild(id, 60_000);
    expect(actionOf(build, "hudson.model.CauseAction")?.causes?.[0]).toEqual({
      _class: "hudson.triggers.TimerTrigger$TimerTriggerCause",
      shortDescription: "Started by timer",
    });
    expect(actionOf(build, "hudson.model.ParametersAction")?.parameters?.map((p) => p.value)).toEqual(["staging", "pass"]);
    expect((await consoleOf("fx-parent", build.number)).split("\n")[0]).toBe("Started by timer");
  });

  it("should fail with Jenkins' message when a bound credential is missing", async () => {
    expect((await jenkins.request("credentials/store/system/domain/_/credential/fx-text/config.xml", { method: "DELETE" })).status).toBe(
      200,
    );
    const build = await runParent({ TARGET: "prod", CHILD_MODE: "pass" });
    expect(build.result).toBe("FAILURE");
    const log = await consoleOf("fx-parent", build.number);
    expect(log).toContain("ERROR: Could not find credentials entry with ID 'fx-text'");
    expect(log).not.toContain("Waiting for the completion");
  });
});
