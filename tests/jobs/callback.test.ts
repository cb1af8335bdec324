/**
 * The callback POSTs restore-report.json signed with HMAC-SHA256 over
 * "<timestamp>.<body>"; a failing or unconfigured callback never fails.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { freePort, makeTempDir, removeDir } from "@/tests/support/servers/process";
import { restoreReportSchema } from "@/lib/runs/report";
import { readReport, runStage } from "./helpers/stages";

jest.setTimeout(60_000);

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let work: string;
let reportDir: string;
let server: http.Server;
let received: Received[];
let status = 204;

beforeAll(async () => {
  work = await makeTempDir("rdj-cb");
  reportDir = path.join(work, "report");
  expect((await runStage("report", { REPORT_DIR: reportDir, RUN_ID: "run-42" })).code).toBe(0);
  received = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeDir(work);
});

function url(): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runs/callback`;
}

describe("callback", () => {
  beforeEach(() => {
    received = [];
    status = 204;
  });

  it.each(["s3cret", "k".repeat(100), "ünïcode key with spaces"])(
    "should sign the exact body with the shared secret %#",
    async (secret) => {
      const result = await runStage("callback", { REPORT_DIR: reportDir, CALLBACK_URL: url(), CALLBACK_SECRET: secret });
      expect(result.code).toBe(0);
      expect(received).toHaveLength(1);
      const [request] = received as [Received];
      const body = await fs.readFile(path.join(reportDir, "restore-report.json"));
      expect(request.body.equals(body)).toBe(true);
      expect(request.headers["content-type"]).toBe("application/json");
      const timestamp = String(request.headers["x-restore-drill-timestamp"]);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`;
      const signature = String(request.headers["x-restore-drill-signature"]);
      expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
      expect(result.stderr).not.toContain(secret);
      expect((await readReport(reportDir)).runId).toBe("run-42");
    },
  );

  it("should name the agent that ran the pipeline (NODE_NAME) in the report, and null when run by hand", async () => {
    const onAgent = path.join(work, "report-on-agent");
    expect((await runStage("report", { REPORT_DIR: onAgent, NODE_NAME: "agent-2", JOB_NAME: "restore-drill-pipeline" })).code).toBe(0);
    const report = restoreReportSchema.parse(await readReport(onAgent));
    expect(report.jenkins).toMatchObject({ job: "restore-drill-pipeline", node: "agent-2" });
    expect(restoreReportSchema.parse(await readReport(reportDir)).jenkins.node).toBeNull();
  });

  it("should only warn when the portal answers an error or is down", async () => {
    status = 500;
    const failing = await runStage("callback", { REPORT_DIR: reportDir, CALLBACK_URL: url(), CALLBACK_SECRET: "x" });
    expect(failing.code).toBe(0);
    expect(failing.stderr).toMatch(/WARNING: callback .* failed/);
    const down = await runStage("callback", {
      REPORT_DIR: reportDir,
      CALLBACK_URL: `http://127.0.0.1:${await freePort()}/cb`,
      CALLBACK_SECRET: "x",
    });
    expect(down.code).toBe(0);
    expect(down.stderr).toMatch(/WARNING: callback .* failed/);
  });

  it("should do nothing without a URL and never send an unsigned callback", async () => {
    expect((await runStage("callback", { REPORT_DIR: reportDir, CALLBACK_URL: "" })).code).toBe(0);
    const unsigned = await runStage("callback", { REPORT_DIR: reportDir, CALLBACK_URL: url() });
    expect(unsigned.code).toBe(0);
    expect(unsigned.stderr).toContain("CALLBACK_SECRET is not bound");
    expect(received).toHaveLength(0);
  });
});
