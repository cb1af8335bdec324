/**
 * Runs the stage scripts the way a Jenkins agent would: a clean environment
 * holding only build parameters, credential-binding variables and a few node
 * settings. Also reads stage records and the final report.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { processesMentioning, run, type RunResult } from "@/tests/support/servers/process";
import { validateAgainstSchema } from "./json-schema";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const SCRIPTS = path.join(REPO_ROOT, "scripts");

export type StageScript = "pipeline-start" | "deploy" | "decrypt" | "restore" | "destroy" | "report" | "callback" | "check";

export interface StageResult extends RunResult {
  /** The reason code printed as RESTORE_DRILL_REASON=…, if any. */
  reason: string | undefined;
}

export function nodeEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // Only build parameters, bindings and node settings: nothing leaks in from the test runner.
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", LANG: "C.UTF-8" };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env as NodeJS.ProcessEnv;
}

export async function runStage(script: StageScript, env: Record<string, string | undefined>): Promise<StageResult> {
  const result = await run(path.join(SCRIPTS, `${script}.sh`), [], { env: nodeEnv(env), cwd: REPO_ROOT });
  const reason = /RESTORE_DRILL_REASON=([A-Z0-9_]+)/.exec(result.stderr)?.[1];
  return { ...result, reason };
}

export interface StageRecord {
  name: string;
  status: string;
  reasonCode: string;
  reason: string;
  facts: Record<string, unknown>;
}

export async function readStageRecord(reportDir: string, stage: string): Promise<StageRecord> {
  return JSON.parse(await fs.readFile(path.join(reportDir, `stage-${stage}.json`), "utf8")) as StageRecord;
}

export interface RestoreReport {
  schemaVersion: number;
  verdict: "passed" | "failed" | "could-not-verify";
  failedStage: string | null;
  reasonCode: string;
  reason: string;
  runId: string | null;
  backup: { bytes: number | null; sha256: string | null; encrypted: boolean | null; compression: string | null; format: string | null };
  sandbox: { engine: string | null; version: string | null; startSeconds: number | null };
  stages: { name: string; status: string; startedAt: string | null; finishedAt: string | null }[];
  tables: { schema: string; name: string; rows: number }[];
  totalRows: number | null;
  integrity: { method: string | null; result: string; detail: string | null };
  assertions?: { assertion: string; rows: number | null; exists: boolean; passed: boolean }[] | null;
  freshness?: {
    query: string;
    value: string | null;
    valueAt: string | null;
    ageSeconds: number | null;
    limitSeconds: number;
    result: string;
  } | null;
}

let schemaCache: Record<string, unknown> | undefined;

/** Reads restore-report.json and fails the test if it breaks the JSON Schema. */
export async function readReport(reportDir: string): Promise<RestoreReport> {
  schemaCache ??= JSON.parse(await fs.readFile(path.join(REPO_ROOT, "jenkins-jobs/restore-report.schema.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const report: unknown = JSON.parse(await fs.readFile(path.join(reportDir, "restore-report.json"), "utf8"));
  const errors = validateAgainstSchema(schemaCache, report);
  if (errors.length) throw new Error(`restore-report.json breaks the schema:\n${errors.join("\n")}`);
  return report as RestoreReport;
}

/** Asserts that nothing of a run survives: no directory, no process naming it. */
export async function expectNothingLeft(runDir: string): Promise<void> {
  await expect(fs.stat(runDir)).rejects.toThrow(/ENOENT/);
  expect(await processesMentioning(runDir)).toEqual([]);
}

/** Best-effort teardown for afterEach: destroy the run even if the test failed. */
export async function destroyRun(runDir: string, reportDir: string): Promise<void> {
  await runStage("destroy", { RUN_DIR: runDir, REPORT_DIR: reportDir });
}

export function describeFailure(result: StageResult): string {
  return `exit ${result.code}, reason ${result.reason}\n${result.stderr.slice(-3000)}`;
}
