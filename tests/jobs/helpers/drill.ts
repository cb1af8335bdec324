/**
 * A whole restore drill through the stage scripts, in pipeline order:
 * pipeline-start → decrypt → deploy → restore, then always destroy → report.
 * Stops at the first failing stage, like the blocking triggers of the
 * pipeline job.
 */
import path from "node:path";

import type { GpgKey } from "@/tests/support/servers/gpg";
import type { SshdServer } from "@/tests/support/servers/sshd";
import { readReport, runStage, type RestoreReport, type StageResult, type StageScript } from "./stages";

export interface DrillOptions {
  workDir: string;
  id: string;
  sshd: SshdServer;
  backupPath: string;
  dbType: string;
  gpgKey?: GpgKey;
  extraEnv?: Record<string, string>;
}

export interface DrillResult {
  runDir: string;
  reportDir: string;
  results: Partial<Record<StageScript, StageResult>>;
  report: RestoreReport;
}

export function drillEnv(opts: DrillOptions): Record<string, string> {
  return {
    RUN_DIR: path.join(opts.workDir, `run-${opts.id}`),
    REPORT_DIR: path.join(opts.workDir, `report-${opts.id}`),
    BACKUP_HOST: opts.sshd.host,
    BACKUP_PORT: String(opts.sshd.port),
    BACKUP_PATH: opts.backupPath,
    BACKUP_HOST_KEY: opts.sshd.hostPublicKey,
    DB_TYPE: opts.dbType,
    SANDBOX_PROVIDER: "local",
    SSH_CREDENTIAL_ID: "backup-ssh",
    SSH_KEY_FILE: opts.sshd.clientKey.privateKeyPath,
    SSH_USER: opts.sshd.user,
    SSH_KEY_PASSPHRASE: "",
    GPG_CREDENTIAL_ID: opts.gpgKey ? "backup-gpg" : "",
    ...(opts.gpgKey ? { GPG_KEY_FILE: opts.gpgKey.secretKeyPath } : {}),
    ...opts.extraEnv,
  };
}

export async function runDrill(opts: DrillOptions): Promise<DrillResult> {
  const env = drillEnv(opts);
  const results: DrillResult["results"] = {};
  try {
    for (const stage of ["pipeline-start", "decrypt", "deploy", "restore"] as const) {
      results[stage] = await runStage(stage, env);
      if (results[stage].code !== 0) break;
    }
  } finally {
    results.destroy = await runStage("destroy", env);
  }
  results.report = await runStage("report", env);
  return {
    runDir: env.RUN_DIR as string,
    reportDir: env.REPORT_DIR as string,
    results,
    report: await readReport(env.REPORT_DIR as string),
  };
}
