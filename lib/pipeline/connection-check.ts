import { assertPathAllowed, prefixesParameter } from "@/lib/credentials/key-paths";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { ageAgainstLimit } from "@/lib/runs/selection";
import { runParametersSchema } from "./schemas";

// "Test connection" on both forms (issue 19 item 5): the decrypt stage's pre-check on demand.
// The SSH key lives in Jenkins, so the portal starts the small restore-drill-check job
// (scripts/check.sh) with the form's values as build parameters and reads its stage record.

export const CHECK_JOB = "restore-drill-check";
const RECORD = "check-report/stage-check.json";

/** The fields the check needs, with the run form's own rules (and messages). */
export const connectionCheckSchema = runParametersSchema.pick({
  backupHost: true,
  backupPort: true,
  backupPath: true,
  backupPattern: true,
  backupTimeZone: true,
  backupHostKey: true,
  sshCredentialId: true,
});
export type ConnectionCheckInput = ReturnType<typeof connectionCheckSchema.parse>;

export interface ConnectionCheckResult {
  ok: boolean;
  /** One sentence for the form: what was found, or what is wrong. */
  message: string;
  reasonCode: string;
}

/** The field a failed check points at, so the message lands next to it. */
const FIELD_OF: Record<string, string> = {
  FILE_MISSING: "backupPath",
  PATH_NOT_ALLOWED: "backupPath",
  BACKUP_MISSING: "backupPattern",
  HOST_KEY_MISMATCH: "backupHostKey",
  FILE_UNREADABLE: "backupPath",
  SSH_AUTH_REFUSED: "sshCredentialId",
  CREDENTIAL_NOT_BOUND: "sshCredentialId",
  HOST_UNREACHABLE: "backupHost",
};

interface StageRecord {
  status?: string;
  reasonCode?: string;
  reason?: string;
  facts?: { selection?: { file: string; matches: number; ageSeconds: number; maxAgeHours: number | null; stale: boolean } };
}

export async function checkConnection(
  deps: {
    db: Pick<Db, "sshKeyPaths">;
    jenkins: Pick<JenkinsAdapter, "triggerBuild" | "waitForQueueItem" | "waitForBuild" | "readArtifact">;
  },
  input: ConnectionCheckInput,
): Promise<ConnectionCheckResult> {
  const prefixes = await assertPathAllowed(deps.db, input);
  const { queueId } = await deps.jenkins.triggerBuild(CHECK_JOB, {
    BACKUP_HOST: input.backupHost,
    BACKUP_PORT: String(input.backupPort),
    BACKUP_PATH: input.backupPath,
    BACKUP_PATTERN: input.backupPattern,
    BACKUP_TIME_ZONE: input.backupTimeZone,
    MAX_BACKUP_AGE_HOURS: "",
    BACKUP_HOST_KEY: input.backupHostKey,
    ALLOWED_PATH_PREFIXES: prefixesParameter(prefixes),
    SSH_CREDENTIAL_ID: input.sshCredentialId,
  });
  const queued = await deps.jenkins.waitForQueueItem(queueId, { timeoutMs: 60_000 });
  if (queued.state === "cancelled" || queued.buildNumber === undefined)
    throw new DomainError("Jenkins cancelled the connection check before it started. Try again.");
  const build = await deps.jenkins.waitForBuild(CHECK_JOB, queued.buildNumber, { timeoutMs: 90_000, pollMs: 500 });
  let record: StageRecord | null = null;
  try {
    record = JSON.parse(
      (await deps.jenkins.readArtifact(CHECK_JOB, build.number, RECORD, { maxBytes: 64_000 })).toString("utf8"),
    ) as StageRecord;
  } catch {
    record = null;
  }
  if (!record?.status || record.status === "running")
    return {
      ok: false,
      reasonCode: "CHECK_DID_NOT_RUN",
      message: `The check did not finish in Jenkins (build #${build.number}: ${build.result ?? "running"}).`,
    };
  if (record.status === "passed") {
    const s = record.facts?.selection;
    const found = s ? `${s.file}${s.matches > 1 ? ` (newest of ${s.matches} matching)` : ""}, ${ageAgainstLimit(s)}` : input.backupPath;
    return { ok: true, reasonCode: "OK", message: `Connected: the host answered, the key was accepted, found ${found}.` };
  }
  return {
    ok: false,
    reasonCode: record.reasonCode ?? "UNKNOWN",
    message: `${record.reasonCode ?? "Failed"}: ${record.reason ?? "the check failed"}`,
  };
}

/** The form field a failed check's reason belongs to (the host field when unsure). */
export const fieldOfReason = (code: string) => FIELD_OF[code] ?? "backupHost";
