import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { callbackResponse } from "@/lib/runs/callback-route";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { signCallback } from "@/lib/runs/signature";
import { getRunView } from "@/lib/runs/view";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { REPO_ROOT } from "../jenkins/support";
import { reportObject } from "./support";

// POST /api/runs/callback: signed reports close runs; forged, stale, replayed, unknown and
// malformed ones are refused with the right status and change nothing. The last test has the
// pipeline's own scripts/callback.sh sign and send a report to the route over HTTP.

jest.setTimeout(60_000);

const SECRET = randomBytes(24).toString("hex");
const now = () => Math.floor(Date.now() / 1000);

function post(body: string, headers: Record<string, string>): Request {
  return new Request("http://portal.test/api/runs/callback", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
}
function signed(body: string, ts = now(), secret = SECRET): Request {
  return post(body, { "x-restore-drill-timestamp": String(ts), "x-restore-drill-signature": signCallback(secret, ts, body) });
}

describe.each(PROVIDERS)("the callback on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
  });
  afterAll(() => t?.drop());

  const call = (request: Request) => callbackResponse({ db: t.db, secret: SECRET }, request);
  const openRun = () =>
    t.db.restoreRun.create({
      data: {
        source: "portal",
        parameters: "{}",
        backupHost: "db1",
        backupPath: "/b.sql",
        dbType: "mysql",
        jobName: PIPELINE_JOB,
        status: "running",
        buildNumber: null,
        startedAt: new Date(Date.now() - 60_000),
      },
    });

  it("should close the run with a correctly signed report, and refuse the same request again as a replay", async () => {
    const run = await openRun();
    const body = JSON.stringify(reportObject("failed", { runId: run.id, job: PIPELINE_JOB, build: 7 }));
    const request = signed(body);
    const replay = request.clone();
    const response = await call(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, closed: true, runId: run.id });

    const view = await getRunView(t.db, run.id);
    expect(view).toMatchObject({ status: "failed", failedStage: "restore", reasonCode: "DUMP_TRUNCATED", buildNumber: 7 });
    expect((await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).report).toBe(body);

    const again = await call(replay);
    expect(again.status).toBe(409);
    expect(await getRunView(t.db, run.id)).toEqual(view);
  });

  it.each([
    ["a forged signature", (body: string) => signed(body, now(), "not-the-secret-at-all")],
    ["no signature", (body: string) => post(body, { "x-restore-drill-timestamp": String(now()) })],
    ["no timestamp", (body: string) => post(body, { "x-restore-drill-signature": signCallback(SECRET, now(), body) })],
    ["a stale timestamp (6 minutes)", (body: string) => signed(body, now() - 360)],
    ["a future timestamp (2 minutes)", (body: string) => signed(body, now() + 120)],
    [
      "a body changed after signing",
      (body: string) => {
        const ts = now();
        return post(body.replace('"failed"', '"passed"'), {
          "x-restore-drill-timestamp": String(ts),
          "x-restore-drill-signature": signCallback(SECRET, ts, body),
        });
      },
    ],
    [
      "a malformed signature",
      (body: string) => post(body, { "x-restore-drill-timestamp": String(now()), "x-restore-drill-signature": "sha256=xyz" }),
    ],
  ])("should answer 401 to %s and leave the run open", async (_what, makeRequest) => {
    const run = await openRun();
    const body = JSON.stringify(reportObject("failed", { runId: run.id, job: PIPELINE_JOB, build: null }));
    const response = await call(makeRequest(body));
    expect(response.status).toBe(401);
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "running",
      callbackAt: null,
      report: null,
    });
  });

  it("should answer 404 to a report for an unknown run", async () => {
    const response = await call(signed(JSON.stringify(reportObject("passed", { runId: "no-such-run", job: PIPELINE_JOB, build: 1 }))));
    expect(response.status).toBe(404);
  });

  it.each([
    ["not JSON", "{nope"],
    ["the wrong schema version", JSON.stringify({ ...reportObject("passed", { runId: "x", job: null, build: null }), schemaVersion: 2 })],
    ["an unknown verdict", JSON.stringify({ ...reportObject("passed", { runId: "x", job: null, build: null }), verdict: "green" })],
    ["a hostile run id", JSON.stringify(reportObject("passed", { runId: "../../etc/passwd", job: null, build: null }))],
    ["a run id far too long", JSON.stringify(reportObject("passed", { runId: "a".repeat(500), job: null, build: null }))],
    ["no run id", JSON.stringify(reportObject("passed", { runId: null, job: null, build: null }))],
    ["an extra field", JSON.stringify({ ...reportObject("passed", { runId: "x", job: null, build: null }), extra: 1 })],
    ["an empty body", ""],
  ])("should answer 400 to %s (never 500)", async (_what, body) => {
    const response = await call(signed(body));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("bad-body");
  });

  it("should close the run of a build Jenkins started itself (no run id) by its job and build number", async () => {
    const run = await t.db.restoreRun.create({
      data: {
        source: "schedule",
        parameters: "{}",
        backupHost: "db1",
        backupPath: "/b.sql",
        dbType: "mysql",
        jobName: PIPELINE_JOB,
        status: "running",
        buildNumber: 41,
        startedAt: new Date(),
      },
    });
    const response = await call(signed(JSON.stringify(reportObject("passed", { runId: null, job: PIPELINE_JOB, build: 41 }))));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, runId: run.id, closed: true });
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "passed" });
  });

  it("should leave a build it has not seen yet to the reconciler (202), creating nothing", async () => {
    const before = await t.db.restoreRun.count();
    const response = await call(signed(JSON.stringify(reportObject("passed", { runId: null, job: PIPELINE_JOB, build: 4242 }))));
    expect(response.status).toBe(202);
    expect(await t.db.restoreRun.count()).toBe(before);
  });

  it("should be a no-op for the verdict when the reconciler closed the run first, and vice versa", async () => {
    const run = await openRun();
    await t.db.restoreRun.update({
      where: { id: run.id },
      data: { status: "passed", reasonCode: "OK", reason: "from the artifact", finishedAt: new Date() },
    });
    const late = await call(signed(JSON.stringify(reportObject("failed", { runId: run.id, job: PIPELINE_JOB, build: null }))));
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ closed: false });
    expect(await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "passed",
      reason: "from the artifact",
    });

    // The callback closed it: the reconciler, asked afterwards, leaves it alone (it is no longer open).
    const other = await openRun();
    await call(signed(JSON.stringify(reportObject("passed", { runId: other.id, job: PIPELINE_JOB, build: null }))));
    await reconcileOnce({ db: t.db, jenkins: unreachableJenkins() });
    expect(await getRunView(t.db, other.id)).toMatchObject({
      status: "passed",
      reason: "Every table restored, every row read, integrity ok.",
    });
  });

  it("should refuse every callback (503) when the portal has no callback secret", async () => {
    const run = await openRun();
    const response = await callbackResponse(
      { db: t.db, secret: null },
      signed(JSON.stringify(reportObject("passed", { runId: run.id, job: null, build: null }))),
    );
    expect(response.status).toBe(503);
  });
});

/** A Jenkins nobody can reach: the reconciler must not need it for closed runs. */
function unreachableJenkins() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createJenkinsAdapter, jenkinsConfig } = require("@/lib/jenkins") as typeof import("@/lib/jenkins");
  return createJenkinsAdapter(jenkinsConfig({ url: "http://127.0.0.1:9/", timeoutMs: 200, retries: 0 }));
}

describe("the pipeline's callback.sh against the route", () => {
  let t: TestDatabase;
  let server: http.Server;
  let url: string;
  let work: string;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    work = await fs.mkdtemp(path.join(os.tmpdir(), "rd-callback-"));
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = new Request(`http://portal.test${req.url}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      const response = await callbackResponse({ db: t.db, secret: SECRET }, request);
      res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runs/callback`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await t?.drop();
    await fs.rm(work, { recursive: true, force: true });
  });

  const runScript = (env: Record<string, string>) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        "bash",
        [path.join(REPO_ROOT, "scripts/callback.sh")],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } as unknown as NodeJS.ProcessEnv },
        (error, _stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
      );
    });

  it("should accept the report signed by scripts/callback.sh, and refuse it when the secrets differ", async () => {
    const run = await t.db.restoreRun.create({
      data: {
        source: "portal",
        parameters: "{}",
        backupHost: "db1",
        backupPath: "/b.sql",
        dbType: "mysql",
        jobName: PIPELINE_JOB,
        status: "running",
      },
    });
    const reportDir = path.join(work, "restore-report");
    await fs.mkdir(reportDir);
    await fs.writeFile(
      path.join(reportDir, "restore-report.json"),
      `${JSON.stringify(reportObject("passed", { runId: run.id, job: PIPELINE_JOB, build: null }), null, 2)}\n`,
    );

    const wrong = await runScript({ REPORT_DIR: reportDir, CALLBACK_URL: url, CALLBACK_SECRET: "some-other-secret-value" });
    expect(wrong.stderr).toMatch(/callback to .* failed/);
    expect((await t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");

    const right = await runScript({ REPORT_DIR: reportDir, CALLBACK_URL: url, CALLBACK_SECRET: SECRET });
    expect(right).toMatchObject({ code: 0 });
    expect(right.stderr).toContain("callback delivered");
    expect(await getRunView(t.db, run.id)).toMatchObject({ status: "passed", totalRows: 57 });
  });
});
