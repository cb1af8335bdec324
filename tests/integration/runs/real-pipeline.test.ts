import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter } from "@/lib/jenkins";
import { callbackResponse } from "@/lib/runs/callback-route";
import { LiveRuns, type LiveEvent } from "@/lib/runs/live";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { startRun } from "@/lib/runs/start-run";
import { getRunView, type RunView } from "@/lib/runs/view";
import { runParametersSchema } from "@/lib/validation/run";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { makeTempDir, processesMentioning, removeDir } from "@/tests/support/servers/process";
import { SampleFactory, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { runProvisionCommand } from "../jenkins/support";
import { eventually, makeUser } from "./support";

// One run through the real JJB pipeline (provisioned into the emulator, real sshd and MariaDB):
// started from the portal's startRun, followed live, closed by the pipeline's own signed
// callback to the portal's callback route, with the reconciler finding nothing left to do.

jest.setTimeout(240_000);

const TABLES: SampleTable[] = [
  { name: "customers", rows: 11 },
  { name: "orders", rows: 23 },
];
const SSH_ID = "real-pipeline-ssh";

let work: string;
let emulator: TestEmulator;
let jenkins: JenkinsAdapter;
let sshd: SshdServer;
let samples: SampleFactory;
let t: TestDatabase;
let portal: http.Server;
let portalUrl: string;
const secret = randomBytes(24).toString("hex");

beforeAll(async () => {
  work = await makeTempDir("rd-run-real");
  const home = path.join(work, "jenkins");
  await fs.mkdir(home, { mode: 0o755 });
  const token = randomBytes(16).toString("hex");
  [emulator, sshd, samples, t] = await Promise.all([
    startTestEmulator({ home, users: [{ id: "drill", apiTokens: [token], admin: true }] }),
    startSshd(),
    SampleFactory.create(path.join(work, "samples")),
    freshDatabase("sqlite"),
  ]);
  jenkins = createJenkinsAdapter(jenkinsConfig({ url: emulator.url, credentials: { user: "drill", apiToken: token }, timeoutMs: 10_000 }));
  const provisioned = await runProvisionCommand([], {
    HOME: work,
    JENKINS_URL: emulator.url,
    JENKINS_USER: "drill",
    JENKINS_API_TOKEN: token,
    JOBS_PROVISION_STATE_FILE: path.join(work, "provision-state.json"),
    RESTORE_DRILL_CALLBACK_SECRET: secret,
  });
  if (provisioned.code !== 0) throw new Error(`provisioning failed: ${provisioned.stderr}`);
  await jenkins.createCredential(
    new SecretValue(buildSshCredentialXml({ id: SSH_ID, description: "backup host", username: sshd.user, privateKey: await fs.readFile(sshd.clientKey.privateKeyPath, "utf8") })),
  );
  // The portal's callback route on a real HTTP port, as the pipeline's curl reaches it.
  portal = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await callbackResponse({ db: t.db, secret }, new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.allSettled([emulator?.close(), sshd?.stop(), samples?.stop(), new Promise((r) => portal?.close(r)), t?.drop()]);
  if (!work) return;
  for (const pid of await processesMentioning(work)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await removeDir(work);
});

it("should run a restore from startRun to a passed verdict delivered by the pipeline's callback", async () => {
  const backupPath = await samples.make("mysqldump", TABLES, "good.sql");
  const params = runParametersSchema.parse({ backupHost: sshd.host, backupPort: sshd.port, backupPath, backupHostKey: sshd.hostPublicKey, dbType: "mysql", sshCredentialId: SSH_ID });
  const { runId } = await startRun({ db: t.db, jenkins, portalUrl }, await makeUser(t.db), params);

  const live = new LiveRuns({ db: t.db, jenkins, intervalMs: 200 });
  const seen: RunView[] = [];
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  live.subscribe(runId, 0, {
    send: async (event: LiveEvent) => {
      if (event.event === "run") seen.push(event.data);
      return true;
    },
    close: () => ended(),
  });
  await end;

  const view = await eventually(async () => {
    const v = await getRunView(t.db, runId);
    return v && v.status !== "running" && v.status !== "queued" ? v : null;
  }, "the run to close", 60_000);
  if (view.status !== "passed") throw new Error(`run ${view.status}: ${view.reasonCode} ${view.reason}`);
  const row = await t.db.restoreRun.findUniqueOrThrow({ where: { id: runId } });
  expect(row.callbackAt).not.toBeNull();
  expect(view.tables.map((x) => [x.name, x.rows])).toEqual(TABLES.map((x) => [x.name, x.rows]));
  expect(view.totalRows).toBe(34);
  expect(view.stages.map((s) => s.status)).toEqual(["passed", "passed", "passed", "passed", "passed"]);
  // Live stage progress was pushed before the verdict.
  expect(seen.some((v) => v.status === "running" && v.stages.some((s) => s.status === "passed"))).toBe(true);

  expect((await reconcileOnce({ db: t.db, jenkins })).closed).toBe(0);
  expect(await getRunView(t.db, runId)).toEqual(view);
});
