import { RUN_PARAMETERS } from "@/lib/pipeline/parameters";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/authenticate";
import { buildSshCredentialXml, SecretValue } from "@/lib/credentials";
import type { Db } from "@/lib/db/client";
import type { JenkinsAdapter } from "@/lib/jenkins";
import type { LiveEvent } from "@/lib/runs/live";
import { getRunView, type RunView } from "@/lib/runs/view";
import { PIPELINE_GPG_JOB, PIPELINE_JOB, runParametersSchema, type RunParameters } from "@/lib/validation/run";
import { generateSshKeyPair } from "@/tests/support/keys";
import { freestyleJob, startAdapterFixture, stringParameter, type AdapterFixture } from "../jenkins/support";

// Shared by the run-domain tests: an emulator holding two tiny stand-in pipeline jobs under
// the real pipeline names (no JJB, no databases), an SSH credential to choose, and helpers.
//
// The stand-in pipeline prints the parameterized-trigger plugin's console lines for each stage
// and writes + archives restore-report/restore-report.json (schema v1) like the real one. What
// it does is chosen by the backup file's name:
//   pass-*      all stages pass, verdict passed
//   fail-*      restore fails (DUMP_TRUNCATED), verdict failed, build FAILURE
//   noreport-*  ends SUCCESS without a report
//   gate-*      prints the deploy lines, then waits until "<BACKUP_PATH>.go" exists, then passes
//   big-*       prints ~300 kB of numbered lines before passing

export const SSH_CREDENTIAL_ID = "runs-test-ssh";
// The stand-in pipeline declares what the real one does: every run parameter of the table, and the portal's.
export const PIPELINE_PARAMETERS = [
  ...RUN_PARAMETERS.map((row) => row.jenkins),
  "RUN_ID",
  "CALLBACK_URL",
  "ALLOWED_PATH_PREFIXES",
  "IMAGE_ALLOWLIST",
];

/** A schema-v1 report object. */
export function reportObject(
  kind: "passed" | "failed",
  ids: { runId: string | null; job: string | null; build: number | null },
): Record<string, unknown> {
  const passed = kind === "passed";
  const stage = (name: string, status: string, reasonCode: string | null = null) => ({
    name,
    status,
    startedAt: "2026-01-01T10:00:00.000Z",
    finishedAt: "2026-01-01T10:00:05.000Z",
    reasonCode,
    reason: reasonCode ? "The dump is cut short: its completion marker is missing." : null,
  });
  return {
    schemaVersion: 1,
    generatedAt: "2026-01-01T10:00:30.000Z",
    runId: ids.runId,
    verdict: passed ? "passed" : "failed",
    failedStage: passed ? null : "restore",
    reasonCode: passed ? "OK" : "DUMP_TRUNCATED",
    reason: passed ? "Every table restored, every row read, integrity ok." : "The dump is cut short: its completion marker is missing.",
    jenkins: { job: ids.job, build: ids.build, url: null },
    backup: {
      host: "db1.example.test",
      port: 22,
      path: "/backups/x.sql",
      dbType: "mysql",
      bytes: 4096,
      sha256: "a".repeat(64),
      encrypted: false,
      compression: "none",
      format: "mysqldump",
    },
    sandbox: { provider: "local", engine: "mariadb", version: "10.11.6", startSeconds: 1.5 },
    stages: [
      stage("validate", "passed"),
      stage("deploy", "passed"),
      stage("decrypt", "passed"),
      stage("restore", passed ? "passed" : "failed", passed ? null : "DUMP_TRUNCATED"),
      stage("destroy", "passed"),
    ],
    tables: passed
      ? [
          { schema: "restore_drill", name: "customers", rows: 17 },
          { schema: "restore_drill", name: "invoices", rows: 40 },
        ]
      : [],
    totalRows: passed ? 57 : null,
    integrity: passed ? { method: "CHECK TABLE EXTENDED", result: "ok", detail: null } : { method: null, result: "not-run", detail: null },
  };
}

/** The report as a shell template: __RUN_ID__ (a JSON value), __JOB__ and __BUILD__ are substituted by sed. */
function reportTemplate(kind: "passed" | "failed"): string {
  return JSON.stringify(reportObject(kind, { runId: "__RUN_ID__", job: "__JOB__", build: 1 }))
    .replace('"__RUN_ID__"', "__RUN_ID__")
    .replace('"build":1', '"build":__BUILD__');
}

const STAGE_LINES = (job: string, n: string, result: string) =>
  `echo "Waiting for the completion of restore-drill-${job}"; echo "restore-drill-${job} #${n} started."; echo "restore-drill-${job} #${n} completed. Result was ${result}"`;

/** The stand-in pipeline's shell step. */
export function standInPipelineScript(): string {
  const write = (kind: "passed" | "failed") =>
    `printf '%s\\n' '${reportTemplate(kind)}' | sed -e "s|__RUN_ID__|$rid|" -e "s|__JOB__|$JOB_NAME|" -e "s|__BUILD__|$BUILD_NUMBER|" > restore-report/restore-report.json`;
  return `#!/bin/bash
set -eu
rm -rf restore-report && mkdir -p restore-report
if [ -n "\${RUN_ID:-}" ]; then rid="\\"$RUN_ID\\""; else rid=null; fi
case "$(basename "$BACKUP_PATH")" in
  pass-*)
    ${STAGE_LINES("decrypt", "1", "SUCCESS")}; ${STAGE_LINES("deploy", "1", "SUCCESS")}; ${STAGE_LINES("restore", "1", "SUCCESS")}; ${STAGE_LINES("destroy", "1", "SUCCESS")}
    ${write("passed")} ;;
  fail-*)
    ${STAGE_LINES("decrypt", "2", "SUCCESS")}; ${STAGE_LINES("deploy", "2", "SUCCESS")}; ${STAGE_LINES("restore", "2", "FAILURE")}; ${STAGE_LINES("destroy", "2", "SUCCESS")}
    ${write("failed")}
    exit 1 ;;
  noreport-*)
    echo "no report today" ;;
  gate-*)
    ${STAGE_LINES("decrypt", "3", "SUCCESS")}
    echo "Waiting for the completion of restore-drill-deploy"
    echo "GATE-WAITING"
    while [ ! -e "$BACKUP_PATH.go" ]; do sleep 0.1; done
    echo "restore-drill-deploy #3 completed. Result was SUCCESS"; ${STAGE_LINES("restore", "3", "SUCCESS")}; ${STAGE_LINES("destroy", "3", "SUCCESS")}
    ${write("passed")} ;;
  big-*)
    seq -f "line %06g of a long console log, with some padding to make it longer" 1 4000
    ${STAGE_LINES("decrypt", "4", "SUCCESS")}; ${STAGE_LINES("deploy", "4", "SUCCESS")}; ${STAGE_LINES("restore", "4", "SUCCESS")}; ${STAGE_LINES("destroy", "4", "SUCCESS")}
    ${write("passed")} ;;
  *) echo "unknown stand-in mode"; exit 2 ;;
esac
`;
}

export function standInPipelineXml(): string {
  return freestyleJob({
    command: standInPipelineScript(),
    parameters: PIPELINE_PARAMETERS.map((name) => stringParameter(name, name === "BACKUP_PORT" ? "22" : "")),
    archive: "restore-report/restore-report.json",
    description: "stand-in restore pipeline for the run-domain tests",
  }).replace("<concurrentBuild>false</concurrentBuild>", "<concurrentBuild>true</concurrentBuild>");
}

export interface RunsFixture extends AdapterFixture {
  work: string;
  /** A backup path whose file name selects the stand-in's behaviour (see above). */
  backupPath(mode: "pass" | "fail" | "noreport" | "gate" | "big"): string;
  /** Lets a gate-* run finish. */
  openGate(backupPath: string): Promise<void>;
  params(backupPath: string, overrides?: Partial<RunParameters>): RunParameters;
}

export async function startRunsFixture(): Promise<RunsFixture> {
  const fx = await startAdapterFixture();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "rd-runs-"));
  for (const job of [PIPELINE_JOB, PIPELINE_GPG_JOB]) await fx.admin.createJob(job, standInPipelineXml());
  const key = await generateSshKeyPair({ type: "ed25519", dir: work });
  await fx.admin.createCredential(
    new SecretValue(
      buildSshCredentialXml({ id: SSH_CREDENTIAL_ID, description: "runs test key", username: "backup", privateKey: key.privateKey }),
    ),
  );
  await fs.rm(key.privateKeyPath);
  let counter = 0;
  return {
    ...fx,
    work,
    backupPath: (mode) => path.join(work, `${mode}-${++counter}-${randomBytes(3).toString("hex")}.sql`),
    openGate: (backupPath) => fs.writeFile(`${backupPath}.go`, ""),
    params: (backupPath, overrides = {}) =>
      runParametersSchema.parse({
        backupHost: "db1.example.test",
        backupPath,
        dbType: "mysql",
        sshCredentialId: SSH_CREDENTIAL_ID,
        ...overrides,
      }),
  };
}

export async function stopRunsFixture(fx: RunsFixture | undefined): Promise<void> {
  if (!fx) return;
  // Let any gate still waiting finish, so no build is left looping.
  for (const file of await fs.readdir(fx.work).catch(() => [] as string[]))
    if (file.startsWith("gate-")) await fs.writeFile(path.join(fx.work, `${file}.go`), "").catch(() => undefined);
  await fx.emulator.cleanup();
  await fs.rm(fx.work, { recursive: true, force: true });
}

export async function makeUser(db: Db, email = `user-${randomBytes(3).toString("hex")}@example.test`): Promise<SessionUser> {
  const u = await db.user.create({ data: { email, name: "Runner", role: "user", passwordHash: "x" } });
  return { id: u.id, email: u.email, name: u.name, role: "user", sessionVersion: u.sessionVersion, mustChangePassword: false };
}

/** Polls fn until it returns a truthy value (or throws after timeoutMs with the last value). */
export async function eventually<T>(fn: () => Promise<T>, what: string, timeoutMs = 20_000, pollMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Waits until the run has closed (neither queued nor running) and returns its run-page view. */
export function closedRunView(db: Db, runId: string, timeoutMs = 120_000): Promise<RunView> {
  return eventually(
    async () => {
      const view = await getRunView(db, runId);
      return view && view.status !== "running" && view.status !== "queued" ? view : null;
    },
    `run ${runId} to close`,
    timeoutMs,
  );
}

/** Reads Server-Sent Events from a response body. */
export async function* readEvents(response: Response): AsyncGenerator<LiveEvent & { id?: string }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":") || !line.includes(":")) continue;
          const i = line.indexOf(":");
          fields[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, "");
        }
        if (fields.event)
          yield { event: fields.event, data: JSON.parse(fields.data ?? "null"), id: fields.id } as LiveEvent & { id?: string };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export type { JenkinsAdapter };
