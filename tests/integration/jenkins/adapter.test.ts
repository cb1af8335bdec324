import { rm } from "node:fs/promises";
import { buildGpgCredentialXml, buildSecretTextCredentialXml, buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import { isJenkinsError, stripConsoleNotes } from "@/lib/jenkins";
import { createGpgHome, generateGpgKey, generateSshKeyPair } from "@/tests/support/keys";
import {
  freestyleJob,
  kindOf,
  passwordParameter,
  rawConsoleLog,
  startAdapterFixture,
  stringParameter,
  uniqueName,
  type AdapterFixture,
} from "./support";

// Every adapter call against the Jenkins emulator, success and failure paths.

jest.setTimeout(90_000);

let fx: AdapterFixture;
beforeAll(async () => {
  fx = await startAdapterFixture();
});
afterAll(async () => {
  await fx?.emulator.cleanup();
});

async function runToEnd(job: string, parameters?: Record<string, string>) {
  const { queueId } = await fx.admin.triggerBuild(job, parameters);
  const left = await fx.admin.waitForQueueItem(queueId, { pollMs: 100, timeoutMs: 20_000 });
  expect(left.state).toBe("left");
  return fx.admin.waitForBuild(job, left.buildNumber as number, { pollMs: 100, timeoutMs: 30_000 });
}

describe("jobs", () => {
  it("should create, read, update, disable, enable and delete a job", async () => {
    const name = uniqueName("crud");
    await fx.admin.createJob(name, freestyleJob({ command: "echo one", description: "first" }));

    const job = await fx.admin.getJob(name);
    expect(job).toMatchObject({
      name,
      fullName: name,
      description: "first",
      disabled: false,
      buildable: true,
      nextBuildNumber: 1,
      lastBuildNumber: null,
    });
    expect(await fx.admin.getJobConfig(name)).toContain("echo one");

    await fx.admin.updateJobConfig(name, freestyleJob({ command: "echo two", description: "second" }));
    expect(await fx.admin.getJobConfig(name)).toContain("echo two");
    expect((await fx.admin.getJob(name)).description).toBe("second");

    await fx.admin.disableJob(name);
    expect(await fx.admin.getJob(name)).toMatchObject({ disabled: true, buildable: false });
    expect(await kindOf(fx.admin.triggerBuild(name))).toBe("conflict");
    await fx.admin.enableJob(name);
    expect(await fx.admin.getJob(name)).toMatchObject({ disabled: false, buildable: true });

    await fx.admin.deleteJob(name);
    expect(await fx.admin.jobExists(name)).toBe(false);
    expect(await kindOf(fx.admin.getJob(name))).toBe("not-found");
  });

  it("should report a taken name as conflict", async () => {
    const name = uniqueName("dup");
    await fx.admin.createJob(name, freestyleJob({ command: "true" }));
    const error = await fx.admin.createJob(name, freestyleJob({ command: "true" })).catch((e: unknown) => e);
    expect(isJenkinsError(error, "conflict")).toBe(true);
    expect((error as Error).message).toContain("already exists");
  });

  it("should address jobs inside folders by full name", async () => {
    const folder = uniqueName("folder");
    await fx.admin.createJob(
      folder,
      `<com.cloudbees.hudson.plugins.folder.Folder><description/><properties/></com.cloudbees.hudson.plugins.folder.Folder>`,
    );
    await fx.admin.createJob(`${folder}/inner`, freestyleJob({ command: "true" }));
    expect(await fx.admin.getJob(`${folder}/inner`)).toMatchObject({ name: "inner", fullName: `${folder}/inner` });
    expect(await fx.admin.jobExists("inner")).toBe(false);
  });

  it("should refuse job names Jenkins would refuse, before any request", async () => {
    await expect(fx.admin.getJob("../etc")).rejects.toThrow(/job name/);
    await expect(fx.admin.getJob("a?b")).rejects.toThrow(/job name/);
  });
});

describe("builds", () => {
  const job = uniqueName("params");
  beforeAll(async () => {
    await fx.admin.createJob(
      job,
      freestyleJob({
        command: 'echo "target=$TARGET"; mkdir -p restore-report; printf \'{"totalRows":%s}\' "$ROWS" > restore-report/restore-report.json',
        parameters: [stringParameter("TARGET", "staging"), stringParameter("ROWS", "0"), passwordParameter("API_TOKEN")],
        archive: "restore-report/*.json",
      }),
    );
  });

  it("should trigger with parameters, follow the queue item to its build and read its status", async () => {
    const triggered = await fx.admin.triggerBuild(job, { TARGET: "prod", ROWS: "42", API_TOKEN: "s3cret-value" });
    expect(triggered.joinedExisting).toBe(false);
    const left = await fx.admin.waitForQueueItem(triggered.queueId, { pollMs: 100 });
    expect(left).toMatchObject({ queueId: triggered.queueId, state: "left", jobName: job });
    const build = await fx.admin.waitForBuild(job, left.buildNumber as number, { pollMs: 100 });

    expect(build).toMatchObject({ number: left.buildNumber, building: false, result: "SUCCESS", queueId: triggered.queueId });
    // A password parameter's value is never exported.
    expect(build.parameters).toEqual({ TARGET: "prod", ROWS: "42", API_TOKEN: null });
    expect(build.causes).toEqual([{ kind: "user", description: "Started by user boss", userId: "boss" }]);
    expect(build.startedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(build.durationMs).toBeGreaterThanOrEqual(0);
    expect(build.artifacts).toEqual([{ fileName: "restore-report.json", relativePath: "restore-report/restore-report.json" }]);

    expect(await fx.admin.readRestoreReport(job, build.number)).toEqual({ totalRows: 42 });
    expect((await fx.admin.readArtifact(job, build.number, "restore-report/restore-report.json")).toString()).toBe('{"totalRows":42}');
  });

  it("should read the console log whole and from a byte offset", async () => {
    const build = await runToEnd(job, { TARGET: "ünïcode" });
    const whole = await fx.admin.readLog(job, build.number);
    expect(whole.more).toBe(false);
    expect(whole.text).toContain("target=ünïcode");
    expect(whole.text.trimEnd().endsWith("Finished: SUCCESS")).toBe(true);
    // Offsets are raw-log offsets; the text never shows the console notes the raw log holds.
    const raw = rawConsoleLog(fx.emulator, job, build.number);
    expect(raw.toString("utf8")).toContain("\u001b[8mha:");
    expect(whole.text).not.toContain("\u001b");
    expect(whole.text).toBe(stripConsoleNotes(raw.toString("utf8")));
    expect(whole.nextOffset).toBe(raw.length);

    const offset = raw.indexOf("target=");
    const tail = await fx.admin.readLog(job, build.number, offset);
    expect(tail.text).toBe(stripConsoleNotes(raw.subarray(offset).toString("utf8")));
    expect(tail.nextOffset).toBe(whole.nextOffset);
    expect(await fx.admin.readFullLog(job, build.number)).toBe(whole.text);
  });

  it("should list builds newest first within the requested range only", async () => {
    const name = uniqueName("list");
    await fx.admin.createJob(name, freestyleJob({ command: "true" }));
    for (let i = 0; i < 3; i++) await runToEnd(name);

    expect((await fx.admin.listBuilds(name)).map((b) => b.number)).toEqual([3, 2, 1]);
    const page = await fx.admin.listBuilds(name, { offset: 1, limit: 1 });
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({ number: 2, result: "SUCCESS", building: false });
    expect(await fx.admin.listBuilds(name, { offset: 3, limit: 10 })).toEqual([]);
    await expect(fx.admin.listBuilds(name, { limit: 101 })).rejects.toThrow(/At most 100/);
  });

  it("should stream a running build's log and stop it", async () => {
    const name = uniqueName("long");
    await fx.admin.createJob(name, freestyleJob({ command: "echo started-long-step; sleep 60" }));
    const { queueId } = await fx.admin.triggerBuild(name);
    const { buildNumber } = await fx.admin.waitForQueueItem(queueId, { pollMs: 100 });
    const number = buildNumber as number;

    let chunk = await fx.admin.readLog(name, number);
    for (let i = 0; i < 100 && !chunk.text.includes("started-long-step"); i++) {
      await new Promise((r) => setTimeout(r, 100));
      chunk = await fx.admin.readLog(name, number);
    }
    expect(chunk.text).toContain("started-long-step");
    expect(chunk.more).toBe(true);
    expect((await fx.admin.getBuild(name, number)).building).toBe(true);

    await fx.admin.stopBuild(name, number);
    const stopped = await fx.admin.waitForBuild(name, number, { pollMs: 100, timeoutMs: 20_000 });
    expect(stopped.result).toBe("ABORTED");
    const rest = await fx.admin.readLog(name, number, chunk.nextOffset);
    expect(rest.more).toBe(false);
    expect(rest.text).toContain("Finished: ABORTED");
  });

  it("should join an identical queued item (303) and cancel a queued item (204)", async () => {
    const parameters = { TARGET: "queued", ROWS: "1" };
    const first = await fx.admin.triggerBuild(job, parameters, { delaySeconds: 120 });
    const second = await fx.admin.triggerBuild(job, parameters, { delaySeconds: 120 });
    expect(second).toEqual({ queueId: first.queueId, joinedExisting: true });

    const waiting = await fx.admin.getQueueState(first.queueId);
    expect(waiting.state).toBe("waiting");
    expect(waiting.why).toMatch(/quiet period/);
    expect(waiting.buildNumber).toBeUndefined();

    await fx.admin.cancelQueueItem(first.queueId);
    const cancelled = await fx.admin.getQueueState(first.queueId);
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.buildNumber).toBeUndefined();
    expect((await fx.admin.waitForQueueItem(first.queueId)).state).toBe("cancelled");
  });

  it("should map missing things to not-found and refused triggers to rejected", async () => {
    const plain = uniqueName("plain");
    await fx.admin.createJob(plain, freestyleJob({ command: "true" }));
    expect(await kindOf(fx.admin.triggerBuild(uniqueName("missing"), { A: "b" }))).toBe("not-found");
    expect(await kindOf(fx.admin.triggerBuild(plain, { A: "b" }))).toBe("rejected");
    expect(await kindOf(fx.admin.getBuild(job, 9999))).toBe("not-found");
    expect(await kindOf(fx.admin.readLog(job, 9999))).toBe("not-found");
    expect(await kindOf(fx.admin.readArtifact(job, 1, "no/such.json"))).toBe("not-found");
    expect(await kindOf(fx.admin.getQueueState(987654))).toBe("not-found");
    expect(await kindOf(fx.admin.cancelQueueItem(987654))).toBe("not-found");
    expect(await fx.admin.readRestoreReport(plain, (await runToEnd(plain)).number)).toBeNull();
  });
});

describe("credentials", () => {
  it("should create, list, read, update and delete an SSH key credential without echoing the key", async () => {
    const key = await generateSshKeyPair({ type: "ed25519" });
    try {
      const id = uniqueName("ssh-key");
      const xml = new SecretValue(
        buildSshCredentialXml({ id, description: "backup host", username: "backup", privateKey: key.privateKey }),
      );
      await fx.admin.createCredential(xml);

      expect(await fx.admin.credentialExists(id)).toBe(true);
      expect(await fx.admin.getCredential(id)).toEqual({
        id,
        description: "backup host",
        kind: "ssh",
        typeName: "SSH Username with private key",
      });
      const listed = await fx.admin.listCredentials();
      expect(listed).toContainEqual({ id, description: "backup host", kind: "ssh", typeName: "SSH Username with private key" });
      expect(JSON.stringify(listed)).not.toContain(key.privateKey.split("\n")[1]);

      await fx.admin.updateCredential(
        id,
        buildSshCredentialXml({ id, description: "renamed", username: "backup", privateKey: key.privateKey }),
      );
      expect((await fx.admin.getCredential(id)).description).toBe("renamed");

      expect(await kindOf(fx.admin.createCredential(xml))).toBe("conflict");

      await fx.admin.deleteCredential(id);
      expect(await fx.admin.credentialExists(id)).toBe(false);
      expect(await kindOf(fx.admin.getCredential(id))).toBe("not-found");
      expect(await kindOf(fx.admin.deleteCredential(id))).toBe("not-found");
    } finally {
      await rm(key.dir, { recursive: true, force: true });
    }
  });

  it("should store a GPG key as a secret file and list it as gpg", async () => {
    const home = await createGpgHome();
    try {
      const key = await generateGpgKey(home);
      const id = uniqueName("gpg-key");
      await fx.admin.createCredential(buildGpgCredentialXml({ id, description: "backup key", armoredKey: key.armoredPrivateKey }));
      expect(await fx.admin.getCredential(id)).toMatchObject({ id, kind: "gpg", typeName: "Secret file" });
      expect((await fx.admin.listCredentials()).find((c) => c.id === id)?.kind).toBe("gpg");
    } finally {
      await home.cleanup();
    }
  });
});

describe("authentication and permissions", () => {
  it("should map a wrong API token to unauthorized, without the token in the message", async () => {
    const wrong = "wrong-token-value-123";
    const adapter = fx.adapterWith({ credentials: { user: "boss", apiToken: wrong } });
    const calls = [
      () => adapter.getJob("x"),
      () => adapter.triggerBuild("x", {}),
      () => adapter.listCredentials(),
      () => adapter.createCredential("<x/>"),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(isJenkinsError(error, "unauthorized")).toBe(true);
      expect((error as Error).message).not.toContain(wrong);
      expect((error as Error).message).not.toContain(fx.adminToken);
    }
  });

  it("should map a missing permission to forbidden", async () => {
    const name = uniqueName("perm");
    await fx.admin.createJob(name, freestyleJob({ command: "true" }));
    expect(await kindOf(fx.viewer.getJob(name))).toBe("ok");
    expect(await kindOf(fx.viewer.createJob(uniqueName("nope"), freestyleJob({ command: "true" })))).toBe("forbidden");
    expect(await kindOf(fx.viewer.updateJobConfig(name, freestyleJob({ command: "false" })))).toBe("forbidden");
    expect(await kindOf(fx.viewer.deleteJob(name))).toBe("forbidden");
    expect(
      await kindOf(fx.viewer.createCredential(buildSecretTextCredentialXml({ id: uniqueName("s"), description: "", secret: "x" }))),
    ).toBe("forbidden");
    expect(await fx.admin.jobExists(name)).toBe(true);
  });
});
