import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsStatus } from "@/lib/runs/jenkins-status";
import { startRun } from "@/lib/runs/start-run";
import { syncRun, type RunRow } from "@/lib/runs/sync";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { startTestEmulator } from "@/tests/support/emulator";
import { eventually, makeUser, standInPipelineXml, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// Jenkins down, slow or misconfigured, injected against the portal: each fault leaves the run
// "failed-to-start" with a plain reason (never stuck "queued"), the form gets that sentence,
// and jenkinsStatus says the same before anyone submits.

jest.setTimeout(90_000);

let fx: RunsFixture;
let server500: http.Server;
let hanging: net.Server;
const hangingSockets = new Set<net.Socket>();
let stoppedUrl: string;

beforeAll(async () => {
  fx = await startRunsFixture();
  server500 = http.createServer((_req, res) => res.writeHead(500, { "content-type": "text/html" }).end("<html>boom</html>"));
  await new Promise<void>((resolve) => server500.listen(0, "127.0.0.1", resolve));
  hanging = net.createServer((socket) => {
    hangingSockets.add(socket);
    socket.on("close", () => hangingSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  // A Jenkins that was there and is gone: its port now refuses connections.
  const gone = await startTestEmulator();
  stoppedUrl = gone.url;
  await gone.cleanup();
});
afterAll(async () => {
  for (const socket of hangingSockets) socket.destroy();
  await Promise.all([new Promise((r) => server500?.close(r)), new Promise((r) => hanging?.close(r))]);
  await stopRunsFixture(fx);
});

const quick = (url: string, credentials?: { user: string; apiToken: string }) =>
  createJenkinsAdapter(jenkinsConfig({ url, credentials, timeoutMs: 300, retries: 0 }));

describe.each(PROVIDERS)("start faults on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  async function expectFailedToStart(jenkins: JenkinsAdapter, message: RegExp) {
    const before = await t.db.restoreRun.count();
    const error = await startRun(
      { db: t.db, jenkins, portalUrl: "http://portal.test" },
      await makeUser(t.db),
      fx.params(fx.backupPath("pass")),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DomainError", message: expect.stringMatching(message) });
    const runs = await t.db.restoreRun.findMany({ orderBy: { createdAt: "desc" }, take: 1 });
    expect(await t.db.restoreRun.count()).toBe(before + 1);
    expect(runs[0]).toMatchObject({ status: "failed-to-start", reason: (error as Error).message, queueId: null });
    expect(runs[0]!.finishedAt).not.toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "run.start", target: runs[0]!.id, outcome: "failure" } })).toBe(1);
    return (error as Error).message;
  }

  it("connection refused (Jenkins stopped)", async () => {
    const message = await expectFailedToStart(quick(stoppedUrl, { user: "boss", apiToken: fx.adminToken }), /^Jenkins is unreachable at /);
    expect(message).toContain(stoppedUrl);
  });

  it("401: a wrong API token", async () => {
    await expectFailedToStart(
      fx.adapterWith({ credentials: { user: "boss", apiToken: "wrong-token-0000" } }),
      /^Jenkins refused the portal's credentials \(401\) — check JENKINS_USER\/JENKINS_API_TOKEN$/,
    );
  });

  it("403: a Jenkins user without the permissions", async () => {
    await expectFailedToStart(fx.adapterWith({ credentials: undefined }), /lacks a permission \(403\)/);
  });

  it("no Job/Read: says the portal's Jenkins user cannot read jobs, not that the job is missing", async () => {
    const message = await expectFailedToStart(
      fx.noJobRead,
      /^The portal's Jenkins user cannot read jobs: Jenkins shows it none \(grant it Job\/Read/,
    );
    expect(message).not.toMatch(/does not exist/);
  });

  it("no Job/Read: an open run is not closed as vanished", async () => {
    const user = await makeUser(t.db);
    const { runId } = await startRun(
      { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.test" },
      user,
      fx.params(fx.backupPath("pass")),
    );
    const run = await eventually(async () => {
      await syncRun({ db: t.db, jenkins: fx.admin }, (await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })) as RunRow);
      const row = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
      return row.buildNumber !== null ? row : null;
    }, "the run to get its build");
    const before = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
    // As the reconciler would see it while the build runs (the stand-in may have finished already).
    const error = await syncRun({ db: t.db, jenkins: fx.noJobRead }, { ...before, status: "running" } as RunRow).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "JenkinsError",
      kind: "forbidden",
      status: 404,
      message: expect.stringContaining("cannot read jobs"),
    });
    expect((await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(before.status);
    expect(run.buildNumber).not.toBeNull();
  });

  it("missing job: the pipeline job was deleted", async () => {
    await fx.admin.deleteJob(PIPELINE_JOB);
    try {
      await expectFailedToStart(fx.admin, /^The job restore-drill-pipeline does not exist in Jenkins — run npm run jobs:provision$/);
    } finally {
      await fx.admin.createJob(PIPELINE_JOB, standInPipelineXml());
    }
  });

  it("500 from Jenkins", async () => {
    await expectFailedToStart(quick(`http://127.0.0.1:${(server500.address() as AddressInfo).port}/`), /internal error \(HTTP 500\)/);
  });

  it("a Jenkins that hangs past the timeout", async () => {
    await expectFailedToStart(quick(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`), /did not answer in time/);
  });
});

describe("jenkinsStatus", () => {
  it("should say plainly what is wrong before anyone submits", async () => {
    expect(await jenkinsStatus(fx.admin)).toEqual({ ok: true });
    expect(await jenkinsStatus(quick(stoppedUrl))).toMatchObject({
      ok: false,
      kind: "unreachable",
      message: expect.stringMatching(/^Jenkins is unreachable at /),
    });
    expect(await jenkinsStatus(fx.adapterWith({ credentials: { user: "boss", apiToken: "nope-nope" } }))).toMatchObject({
      ok: false,
      kind: "unauthorized",
      message: expect.stringContaining("JENKINS_API_TOKEN"),
    });
    expect(await jenkinsStatus(quick(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`))).toMatchObject({
      ok: false,
      kind: "timeout",
    });
    expect(
      await jenkinsStatus(() => {
        throw new (jest.requireActual("@/lib/jenkins") as typeof import("@/lib/jenkins")).JenkinsConfigError("JENKINS_URL is not set");
      }),
    ).toMatchObject({ ok: false, kind: "not-configured" });
  });
});
