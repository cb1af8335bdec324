import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { queueIdFrom, startTestEmulator, type BuildJson, type TestEmulator } from "@/tests/support/emulator";

// Credentials parameters as Jenkins treats them: a binding's `${NAME}` id
// resolves only from a CredentialsParameterValue (credentials plugin,
// CredentialsProvider.findCredentialById), never from a string parameter;
// parameterized-trigger carries the typed value downstream (current
// parameters) or converts a predefined string to the downstream definition's
// type; and the Mailer expands build variables in its recipients. The jobs
// come from tests/emulator/fixtures/credentials-parameters.yaml rendered by
// the real `jenkins-jobs test`.

jest.setTimeout(90_000);

const CREDENTIALS_VALUE = "com.cloudbees.plugins.credentials.CredentialsParameterValue";
const STRING_VALUE = "hudson.model.StringParameterValue";
const JOBS = ["cp-stage", "cp-string-stage", "cp-default-only", "cp-pipeline", "cp-predefined-pipeline", "cp-to-string-stage"];

type Parameter = { _class?: string; name: string; value?: unknown };
type Action = { _class?: string; parameters?: Parameter[]; causes?: Array<Record<string, unknown>> };

let jenkins: TestEmulator;
let tmp: string;
const tokens = { admin: randomBytes(16).toString("hex"), builder: randomBytes(16).toString("hex") };
let settingsBody: string;

const basic = (user: keyof typeof tokens) => `Basic ${Buffer.from(`${user}:${tokens[user]}`).toString("base64")}`;
const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function api(pathname: string, init: RequestInit = {}, user: keyof typeof tokens = "admin"): Promise<Response> {
  return jenkins.request(pathname, {
    ...init,
    headers: { authorization: basic(user), ...(init.headers as Record<string, string> | undefined) },
  });
}

async function waitForQueueItem(queueId: number): Promise<BuildJson> {
  for (let i = 0; i < 600; i++) {
    const item = (await (await api(`queue/item/${queueId}/api/json`)).json()) as { executable?: { url: string } | null };
    if (item.executable) {
      const build = (await (await api(new URL("api/json", item.executable.url).pathname)).json()) as BuildJson;
      if (!build.building) return build;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`queue item ${queueId} did not finish`);
}

async function buildWithParameters(job: string, params: Record<string, string>, user: keyof typeof tokens = "admin"): Promise<BuildJson> {
  const res = await api(
    `job/${job}/buildWithParameters`,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(params).toString() },
    user,
  );
  expect(res.status).toBe(201);
  return waitForQueueItem(queueIdFrom(res));
}

async function consoleOf(job: string, n: number): Promise<string> {
  return (await api(`job/${job}/${n}/consoleText`)).text();
}

const parametersOf = (b: BuildJson) => (b.actions as Action[]).find((a) => a._class === "hudson.model.ParametersAction")?.parameters;

/** Finished builds of `job` whose UpstreamCause names the given upstream build. */
async function downstreamBuilds(job: string, upstream: string, upstreamBuild: number, count: number): Promise<BuildJson[]> {
  for (let i = 0; i < 300; i++) {
    const { builds } = (await (
      await api(
        `job/${job}/api/json?tree=builds[number,building,result,actions[_class,parameters[name,value],causes[upstreamProject,upstreamBuild]]]`,
      )
    ).json()) as { builds: BuildJson[] };
    const found = builds.filter((b) =>
      (b.actions as Action[]).some((a) => a.causes?.some((c) => c.upstreamProject === upstream && c.upstreamBuild === upstreamBuild)),
    );
    if (found.length >= count && found.every((b) => !b.building)) return found.sort((a, b) => a.number - b.number);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${count} finished ${job} builds from ${upstream} #${upstreamBuild}`);
}

const outbox = () => (fs.existsSync(jenkins.outboxDir) ? fs.readdirSync(jenkins.outboxDir).sort() : []);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-credparams-"));
  execFileSync("jenkins-jobs", ["test", "-o", path.join(tmp, "out"), path.join(__dirname, "fixtures", "credentials-parameters.yaml")], {
    stdio: "pipe",
    env: { ...process.env, HOME: tmp },
  });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "cp-fixture", "-f", path.join(tmp, "key")]);
  const key = fs.readFileSync(path.join(tmp, "key"), "utf8").trim();
  settingsBody = `settings-${randomBytes(6).toString("hex")}`;

  jenkins = await startTestEmulator({
    users: [
      { id: "admin", apiTokens: [tokens.admin], admin: true },
      // Job/Build but not Job/Configure, hence no Credentials/UseItem
      { id: "builder", apiTokens: [tokens.builder], admin: false },
    ],
  });
  const credentials = [
    `<com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey><scope>GLOBAL</scope><id>cp-ssh</id><description/><username>cp-user</username><privateKeySource class="com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource"><privateKey>${xmlEscape(key)}</privateKey></privateKeySource></com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey>`,
    `<org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl><scope>GLOBAL</scope><id>cp-file</id><description/><fileName>settings.txt</fileName><secretBytes>${Buffer.from(settingsBody).toString("base64")}</secretBytes></org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl>`,
  ];
  for (const xml of credentials) {
    expect(
      (
        await api("credentials/store/system/domain/_/createCredentials", {
          method: "POST",
          headers: { "content-type": "application/xml" },
          body: xml,
        })
      ).status,
    ).toBe(200);
  }
  for (const name of JOBS) {
    const res = await api(`createItem?name=${name}`, {
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

describe("credentials parameters", () => {
  it("should define them as Jenkins exports them", async () => {
    const job = (await (
      await api("job/cp-stage/api/json?tree=property[parameterDefinitions[name,type,defaultParameterValue[name,value]]]")
    ).json()) as {
      property: Array<{ parameterDefinitions?: unknown[] }>;
    };
    expect(job.property.find((p) => p.parameterDefinitions)?.parameterDefinitions).toEqual([
      {
        _class: "com.cloudbees.plugins.credentials.CredentialsParameterDefinition",
        defaultParameterValue: { _class: CREDENTIALS_VALUE, name: "SSH_ID" },
        name: "SSH_ID",
        type: "CredentialsParameterDefinition",
      },
      {
        _class: "com.cloudbees.plugins.credentials.CredentialsParameterDefinition",
        defaultParameterValue: { _class: CREDENTIALS_VALUE, name: "FILE_ID" },
        name: "FILE_ID",
        type: "CredentialsParameterDefinition",
      },
      {
        _class: "hudson.model.StringParameterDefinition",
        defaultParameterValue: { _class: STRING_VALUE, name: "RUN_DIR", value: "stage-default" },
        name: "RUN_DIR",
        type: "StringParameterDefinition",
      },
    ]);
  });

  it("should take the credential id from buildWithParameters, bind it through ${NAME} and export the value without its id", async () => {
    const build = await buildWithParameters("cp-stage", { SSH_ID: "cp-ssh" });
    const log = await consoleOf("cp-stage", build.number);
    expect({ result: build.result, log }).toEqual({
      result: "SUCCESS",
      log: expect.stringContaining(`stage user=cp-user ssh-id=cp-ssh file-id=cp-file run=stage-default settings=${settingsBody}`),
    });
    // CredentialsParameterValue exports only its name (no @Exported value).
    expect(parametersOf(build)).toEqual([
      { _class: CREDENTIALS_VALUE, name: "SSH_ID" },
      { _class: CREDENTIALS_VALUE, name: "FILE_ID" },
      { _class: STRING_VALUE, name: "RUN_DIR", value: "stage-default" },
    ]);
  });

  it("should not resolve ${NAME} from a string parameter, as on Jenkins", async () => {
    const build = await buildWithParameters("cp-string-stage", { SSH_ID: "cp-ssh" });
    const log = await consoleOf("cp-string-stage", build.number);
    expect(build.result).toBe("FAILURE");
    expect(log).toContain("ERROR: Could not find credentials entry with ID '${SSH_ID}'");
    expect(log).not.toContain("string stage ran");
    expect(parametersOf(build)).toEqual([{ _class: STRING_VALUE, name: "SSH_ID", value: "cp-ssh" }]);
  });

  it("should fall back to the default for a blank required value only when the /build form submits it", async () => {
    // buildWithParameters: createValue(String) takes the blank as given.
    const viaRest = await buildWithParameters("cp-stage", { SSH_ID: "cp-ssh", FILE_ID: "" });
    expect(viaRest.result).toBe("FAILURE");
    expect(await consoleOf("cp-stage", viaRest.number)).toContain("ERROR: Could not find credentials entry with ID '${FILE_ID}'");

    // /build json form: createValue(StaplerRequest, JSONObject) honours `required`.
    const json = JSON.stringify({
      parameter: [
        { name: "SSH_ID", value: "cp-ssh" },
        { name: "FILE_ID", value: "" },
        { name: "RUN_DIR", value: "form" },
      ],
    });
    const res = await api("job/cp-stage/build", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ json }).toString(),
    });
    expect(res.status).toBe(201);
    const viaForm = await waitForQueueItem(queueIdFrom(res));
    expect(viaForm.result).toBe("SUCCESS");
    expect(await consoleOf("cp-stage", viaForm.number)).toContain("file-id=cp-file run=form");
  });

  it("should resolve a non-default id only for a user allowed to use the job's credentials", async () => {
    const refused = await buildWithParameters("cp-stage", { SSH_ID: "cp-ssh" }, "builder");
    expect(refused.result).toBe("FAILURE");
    expect(await consoleOf("cp-stage", refused.number)).toContain("ERROR: Could not find credentials entry with ID '${SSH_ID}'");

    // A default id (given or not) comes from the job's own configuration.
    for (const params of [{}, { FILE_ID: "cp-file" }] as Array<Record<string, string>>) {
      const build = await buildWithParameters("cp-default-only", params, "builder");
      expect({ params, result: build.result }).toEqual({ params, result: "SUCCESS" });
      expect(await consoleOf("cp-default-only", build.number)).toContain(`default-only settings=${settingsBody}`);
    }
  });
});

describe("parameterized-trigger with credentials parameters", () => {
  it("should copy typed values with current parameters, later parameter sources overriding earlier ones", async () => {
    const pipeline = await buildWithParameters("cp-pipeline", { SSH_ID: "cp-ssh", MAIL_TO: "", OUTCOME: "pass" });
    expect(pipeline.result).toBe("SUCCESS");
    const [blocking, postBuild] = await downstreamBuilds("cp-stage", "cp-pipeline", pipeline.number, 2);

    // Builder: CurrentBuildParameters, then PredefinedBuildParameters (RUN_DIR wins).
    expect(blocking?.result).toBe("SUCCESS");
    expect(parametersOf(blocking!)).toEqual([
      { _class: CREDENTIALS_VALUE, name: "SSH_ID" },
      { _class: CREDENTIALS_VALUE, name: "FILE_ID" },
      { _class: STRING_VALUE, name: "RUN_DIR", value: `run-${pipeline.number}` },
    ]);
    expect(await consoleOf("cp-stage", blocking!.number)).toContain(`ssh-id=cp-ssh file-id=cp-file run=run-${pipeline.number}`);

    // Post-build: predefined first, then current (the pipeline's RUN_DIR wins).
    expect(postBuild?.result).toBe("SUCCESS");
    expect(await consoleOf("cp-stage", postBuild!.number)).toContain("ssh-id=cp-ssh file-id=cp-file run=from-pipeline");
  });

  it("should convert a predefined string into the downstream job's credentials parameter", async () => {
    const pipeline = await buildWithParameters("cp-predefined-pipeline", { SSH_ID: "cp-ssh" });
    expect(pipeline.result).toBe("SUCCESS");
    const [stage] = await downstreamBuilds("cp-stage", "cp-predefined-pipeline", pipeline.number, 1);
    expect(parametersOf(stage!)?.[0]).toEqual({ _class: CREDENTIALS_VALUE, name: "SSH_ID" });
    expect(await consoleOf("cp-stage", stage!.number)).toContain(`ssh-id=cp-ssh file-id=cp-file run=predefined-${pipeline.number}`);
  });

  it("should keep a copied CredentialsParameterValue typed even where the downstream job declares a string", async () => {
    const pipeline = await buildWithParameters("cp-to-string-stage", { SSH_ID: "cp-ssh" });
    const [stage] = await downstreamBuilds("cp-string-stage", "cp-to-string-stage", pipeline.number, 1);
    expect(parametersOf(stage!)).toEqual([{ _class: CREDENTIALS_VALUE, name: "SSH_ID" }]);
    expect({ pipeline: pipeline.result, stage: stage?.result }).toEqual({ pipeline: "SUCCESS", stage: "SUCCESS" });
    expect(await consoleOf("cp-string-stage", stage!.number)).toContain("string stage ran with cp-ssh");
  });

  it("should check the credentials permission of the user who started the upstream build", async () => {
    const pipeline = await buildWithParameters("cp-pipeline", { SSH_ID: "cp-ssh", MAIL_TO: "", OUTCOME: "pass" }, "builder");
    expect(pipeline.result).toBe("FAILURE");
    const [blocking] = await downstreamBuilds("cp-stage", "cp-pipeline", pipeline.number, 1);
    expect(blocking?.result).toBe("FAILURE");
    expect(await consoleOf("cp-stage", blocking!.number)).toContain("ERROR: Could not find credentials entry with ID '${SSH_ID}'");
  });
});

describe("Mailer recipients", () => {
  it("should expand build variables in the recipients", async () => {
    const address = `ops-${randomBytes(4).toString("hex")}@example.test`;
    const before = outbox();
    const failed = await buildWithParameters("cp-pipeline", { SSH_ID: "cp-ssh", MAIL_TO: address, OUTCOME: "fail" });
    expect(failed.result).toBe("FAILURE");
    expect(await consoleOf("cp-pipeline", failed.number)).toContain(`Sending e-mails to: ${address}\n`);
    const added = outbox().filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    const message = fs.readFileSync(path.join(jenkins.outboxDir, added[0]!), "utf8");
    expect(message.split("\n").find((l) => l.startsWith("To: "))).toBe(`To: ${address}`);
    expect(message).toContain(`Subject: Build failed in Jenkins: cp-pipeline #${failed.number}\n`);
  });

  it("should ignore a failure mail whose recipients expand to nothing", async () => {
    const before = outbox();
    const failed = await buildWithParameters("cp-pipeline", { SSH_ID: "cp-ssh", MAIL_TO: "", OUTCOME: "fail" });
    expect(failed.result).toBe("FAILURE");
    expect(await consoleOf("cp-pipeline", failed.number)).toContain("An attempt to send an e-mail to empty list of recipients, ignored.");
    expect(outbox()).toEqual(before);
  });
});
