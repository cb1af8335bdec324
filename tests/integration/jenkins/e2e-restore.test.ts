import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { buildGpgCredentialXml, buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import { createJenkinsAdapter, jenkinsConfig, type BuildStatus, type JenkinsAdapter } from "@/lib/jenkins";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { makeTempDir, processesMentioning, removeDir } from "@/tests/support/servers/process";
import { SampleFactory, truncateBytes, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { runProvisionCommand } from "./support";

// Acceptance test of the restore pipeline through the product's adapter:
// provision the JJB jobs into the emulator, store the SSH and GPG keys through
// the credentials endpoints, start restore-drill-pipeline-gpg for an encrypted
// MariaDB dump on a loopback sshd, and check what Jenkins recorded.

jest.setTimeout(240_000);

const PIPELINE = "restore-drill-pipeline-gpg";
const STAGE_JOBS = [
  "restore-drill-deploy",
  "restore-drill-decrypt-gpg",
  "restore-drill-restore-gpg",
  "restore-drill-destroy",
  "restore-drill-callback",
];
const SSH_CREDENTIAL_ID = "e2e-backup-ssh";
const GPG_CREDENTIAL_ID = "e2e-backup-gpg";
const NOTIFY = "restore-ops@example.test";
const TABLES: SampleTable[] = [
  { name: "customers", rows: 17 },
  { name: "invoices", rows: 40 },
  { name: "empty_log", rows: 0 },
];

let work: string;
let emulator: TestEmulator;
let jenkins: JenkinsAdapter;
let adminToken: string;
let sshd: SshdServer;
let gpgKey: GpgKey;
let samples: SampleFactory;
/** Every secret value that must never appear in a console log. */
const secrets: string[] = [];

beforeAll(async () => {
  // 0755 and short: the sandbox database runs as `nobody` below the emulator's
  // workspace, and gpg-agent sockets need short paths.
  work = await makeTempDir("rd-jk-e2e");
  const home = path.join(work, "jenkins");
  await fs.mkdir(home, { mode: 0o755 });
  adminToken = randomBytes(16).toString("hex");
  [emulator, sshd, gpgKey, samples] = await Promise.all([
    startTestEmulator({ home, users: [{ id: "drill", apiTokens: [adminToken], admin: true }] }),
    startSshd(),
    createGpgKey(work, "backup"),
    SampleFactory.create(path.join(work, "samples")),
  ]);
  jenkins = createJenkinsAdapter(
    jenkinsConfig({ url: emulator.url, credentials: { user: "drill", apiToken: adminToken }, timeoutMs: 10_000 }),
  );
});

afterAll(async () => {
  await Promise.allSettled([emulator?.close(), sshd?.stop(), gpgKey && disposeGpgKey(gpgKey), samples?.stop()]);
  if (!work) return;
  // A sandbox database escapes Jenkins' process-tree killer on purpose; if a
  // run was cut short before destroy, stop what still runs under our temp dir.
  for (const pid of await processesMentioning(work)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await removeDir(work);
});

/** Lines of a secret long enough to be unmistakable in a log. */
function distinctiveLines(secret: string): string[] {
  return secret
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 20 && !line.startsWith("-----"));
}

async function encryptedDump(name: string, damage?: (file: string) => Promise<void>): Promise<string> {
  const dump = await samples.make("mysqldump", TABLES, `${name}.sql`);
  await damage?.(dump);
  await gpgEncrypt(gpgKey, dump, `${dump}.gpg`);
  await fs.rm(dump);
  return `${dump}.gpg`;
}

async function runPipeline(backupPath: string, runId: string): Promise<BuildStatus> {
  const { queueId, joinedExisting } = await jenkins.triggerBuild(PIPELINE, {
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_PATH: backupPath,
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_CREDENTIAL_ID,
    GPG_CREDENTIAL_ID,
    DB_TYPE: "mysql",
    SANDBOX_PROVIDER: "local",
    NOTIFY_EMAIL: NOTIFY,
    RUN_ID: runId,
  });
  expect(joinedExisting).toBe(false);
  const left = await jenkins.waitForQueueItem(queueId, { pollMs: 200, timeoutMs: 30_000 });
  expect(left.state).toBe("left");
  return jenkins.waitForBuild(PIPELINE, left.buildNumber as number, { pollMs: 500, timeoutMs: 150_000 });
}

/** The build of `job` started by the given pipeline build, found through its UpstreamCause. */
async function downstreamOf(job: string, pipelineBuild: number): Promise<BuildStatus | undefined> {
  for (const summary of await jenkins.listBuilds(job, { limit: 20 })) {
    const build = await jenkins.getBuild(job, summary.number);
    if (build.causes.some((c) => c.kind === "upstream" && c.upstreamJob === PIPELINE && c.upstreamBuild === pipelineBuild)) return build;
  }
  return undefined;
}

/** What went wrong, for assertion messages: the report's reason and the console tails of the run. */
async function diagnose(pipelineBuild: number): Promise<string> {
  const parts: string[] = [];
  const report = (await jenkins.readRestoreReport(PIPELINE, pipelineBuild).catch(() => null)) as Record<string, unknown> | null;
  parts.push(`report: ${report ? `${String(report.verdict)} ${String(report.reasonCode)} ${String(report.reason)}` : "none"}`);
  const builds: Array<[string, number]> = [[PIPELINE, pipelineBuild]];
  for (const job of STAGE_JOBS) {
    const build = await downstreamOf(job, pipelineBuild);
    if (build) builds.push([job, build.number]);
  }
  for (const [job, number] of builds) parts.push(`--- ${job} #${number}\n${(await jenkins.readFullLog(job, number)).slice(-1500)}`);
  return parts.join("\n");
}

async function expectNoSecretInLogs(builds: Array<[string, number]>): Promise<void> {
  expect(secrets.length).toBeGreaterThan(3);
  for (const [job, number] of builds) {
    const log = await jenkins.readFullLog(job, number);
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      if (log.includes(secret)) throw new Error(`${job} #${number} console log contains a secret`);
    }
  }
}

async function outboxMessages(): Promise<string[]> {
  const files = await fs.readdir(emulator.outboxDir).catch(() => [] as string[]);
  return Promise.all(
    files
      .filter((f) => f.endsWith(".eml"))
      .sort()
      .map((f) => fs.readFile(path.join(emulator.outboxDir, f), "utf8")),
  );
}

it("should provision the jobs and store the keys through the adapter", async () => {
  const callbackSecret = randomBytes(24).toString("hex");
  secrets.push(callbackSecret, adminToken);
  const provisioned = await runProvisionCommand([], {
    HOME: work,
    JENKINS_URL: emulator.url,
    JENKINS_USER: "drill",
    JENKINS_API_TOKEN: adminToken,
    JOBS_PROVISION_STATE_FILE: path.join(work, "provision-state.json"),
    RESTORE_DRILL_CALLBACK_SECRET: callbackSecret,
  });
  expect(provisioned.stderr).not.toMatch(/jobs:provision:/);
  expect(provisioned.code).toBe(0);
  expect(Object.keys(provisioned.outcomes)).toEqual(expect.arrayContaining([PIPELINE, ...STAGE_JOBS]));
  expect(new Set(Object.values(provisioned.outcomes))).toEqual(new Set(["created"]));

  const sshKey = await fs.readFile(sshd.clientKey.privateKeyPath, "utf8");
  const gpgSecretKey = await fs.readFile(gpgKey.secretKeyPath, "utf8");
  secrets.push(...distinctiveLines(sshKey), ...distinctiveLines(gpgSecretKey));
  await jenkins.createCredential(
    new SecretValue(
      buildSshCredentialXml({ id: SSH_CREDENTIAL_ID, description: "e2e backup host", username: sshd.user, privateKey: sshKey }),
    ),
  );
  await jenkins.createCredential(
    new SecretValue(buildGpgCredentialXml({ id: GPG_CREDENTIAL_ID, description: "e2e backup key", armoredKey: gpgSecretKey })),
  );

  const kinds = Object.fromEntries((await jenkins.listCredentials()).map((c) => [c.id, c.kind]));
  expect(kinds).toMatchObject({ [SSH_CREDENTIAL_ID]: "ssh", [GPG_CREDENTIAL_ID]: "gpg", "restore-drill-callback": "secret-text" });
});

it("should restore an encrypted MariaDB dump: SUCCESS, stages as upstream-caused builds, destroy, report, no secrets", async () => {
  const backup = await encryptedDump("good");
  const pipeline = await runPipeline(backup, "e2e-good");
  if (pipeline.result !== "SUCCESS") throw new Error(`pipeline ${pipeline.result}\n${await diagnose(pipeline.number)}`);
  expect(pipeline.causes[0]).toMatchObject({ kind: "user", userId: "drill" });

  const stages: Array<[string, number]> = [];
  for (const job of STAGE_JOBS) {
    const build = await downstreamOf(job, pipeline.number);
    expect({ job, result: build?.result }).toEqual({ job, result: "SUCCESS" });
    stages.push([job, (build as BuildStatus).number]);
  }
  const destroy = await downstreamOf("restore-drill-destroy", pipeline.number);
  expect(destroy?.parameters.RUN_DIR).toMatch(new RegExp(`/restore-run-${pipeline.number}$`));
  await expect(fs.stat(destroy?.parameters.RUN_DIR as string)).rejects.toThrow(/ENOENT/);

  expect(pipeline.artifacts.map((a) => a.relativePath)).toEqual(["restore-report/restore-report.json"]);
  const report = (await jenkins.readRestoreReport(PIPELINE, pipeline.number)) as Record<string, unknown>;
  expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK", failedStage: null, runId: "e2e-good", totalRows: 57 });
  expect(report.tables).toEqual(
    TABLES.map((t) => ({ schema: "restore_drill", name: t.name, rows: t.rows })).sort((a, b) => a.name.localeCompare(b.name)),
  );
  expect(report.jenkins).toMatchObject({ job: PIPELINE, build: pipeline.number });
  expect((report.stages as Array<{ name: string; status: string }>).map((s) => [s.name, s.status])).toEqual([
    ["validate", "passed"],
    ["decrypt", "passed"],
    ["deploy", "passed"],
    ["restore", "passed"],
    ["destroy", "passed"],
  ]);

  await expectNoSecretInLogs([[PIPELINE, pipeline.number], ...stages]);
  expect(await outboxMessages()).toEqual([]);
});

it("should fail the pipeline on a truncated backup, still destroy, and mail the failure", async () => {
  const backup = await encryptedDump("truncated", async (file) => truncateBytes(file, Math.floor((await fs.stat(file)).size / 2)));
  const pipeline = await runPipeline(backup, "e2e-bad");
  const restore = await downstreamOf("restore-drill-restore-gpg", pipeline.number);
  if (pipeline.result !== "FAILURE" || restore?.result !== "FAILURE") {
    throw new Error(`pipeline ${pipeline.result}, restore ${restore?.result}\n${await diagnose(pipeline.number)}`);
  }

  const destroy = await downstreamOf("restore-drill-destroy", pipeline.number);
  expect(destroy?.result).toBe("SUCCESS");
  await expect(fs.stat(destroy?.parameters.RUN_DIR as string)).rejects.toThrow(/ENOENT/);

  const report = (await jenkins.readRestoreReport(PIPELINE, pipeline.number)) as Record<string, unknown>;
  expect(report).toMatchObject({ verdict: "failed", failedStage: "restore", runId: "e2e-bad" });
  expect(report.reasonCode).toMatch(/^(DUMP_TRUNCATED|IMPORT_SQL_ERROR)$/);
  expect((report.stages as Array<{ name: string; status: string }>).find((s) => s.name === "destroy")?.status).toBe("passed");

  const logs: Array<[string, number]> = [[PIPELINE, pipeline.number]];
  for (const job of STAGE_JOBS) {
    const build = await downstreamOf(job, pipeline.number);
    if (build) logs.push([job, build.number]);
  }
  await expectNoSecretInLogs(logs);

  const mails = await outboxMessages();
  expect(mails).toHaveLength(1);
  expect(mails[0]).toContain(`Subject: Build failed in Jenkins: ${PIPELINE} #${pipeline.number}`);
  expect(mails[0]).toMatch(new RegExp(`^To: .*${NOTIFY.replace(/\./g, "\\.")}`, "m"));
});
