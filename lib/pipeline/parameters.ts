// The one table of pipeline parameters: what a restore test restores. Everything else derives
// from it — the run and schedule schemas (./schemas.ts), the Jenkins build parameters both ways
// (./build-parameters.ts), the schedule job's parameters (lib/schedules/job-xml.ts) and the form
// fields both forms share (components/pipeline-fields.tsx). tests/unit/pipeline/contract.test.ts
// checks jenkins-jobs/*.yaml and scripts/pipeline-start.sh against it.
//
// Zod-free on purpose: the forms import this table, and zod stays out of their first load (the
// schemas load on demand). Each row's schema lives in ./schemas.ts under the same key, and the
// compiler refuses a key without one.

/** Which form and which Jenkins job carry a parameter. */
export type Carrier = "run" | "schedule" | "both";

/** How the Jenkins jobs declare the parameter (jenkins-jobs/macros.yaml, schedule.yaml). */
export type JenkinsDeclaration =
  | { kind: "string" }
  | { kind: "choice" }
  | { kind: "credentials"; jjbType: "sshkey" | "secretfile"; credentialType: string; required: boolean };

/** The form control; `maxLength`, `min` and `max` are the limits the schemas enforce as well. */
export type Control =
  | { element: "text"; maxLength: number; required: boolean; placeholder?: string; code?: boolean }
  | { element: "number"; min: number; max: number }
  | { element: "textarea"; maxLength: number; rows: number }
  | { element: "db-type" | "sandbox-provider" | "ssh-key" | "gpg-key" };

export interface PipelineParameter {
  /** The form field and the key in RunParameters (and in a schedule's stored parameters). */
  key: string;
  /** The Jenkins build parameter (an environment variable of the job scripts). */
  jenkins: string;
  carriedBy: Carrier;
  label: string;
  hint?: string;
  control: Control;
  /** The value a build without this parameter had (Jenkins job default), as text. */
  jenkinsDefault: string;
  /** A number in the portal, text in Jenkins (kept as a number when a build's values are stored raw). */
  numeric?: boolean;
  declaration: JenkinsDeclaration;
  /** The description of the parameter in a schedule's Jenkins job (jenkins-jobs/schedule.yaml). */
  scheduleJobDescription: string;
}

const SSH_KEY_TYPE = "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey";
const SECRET_FILE_TYPE = "org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl";

// The order is the forms' order and the Jenkins jobs' order.
export const PIPELINE_PARAMETERS = [
  {
    key: "backupHost",
    jenkins: "BACKUP_HOST",
    carriedBy: "both",
    label: "Backup host",
    hint: "Host name or IP address of the server that holds the backup.",
    control: { element: "text", maxLength: 253, required: true, placeholder: "backups.example.com", code: true },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Backup server (fixed by the schedule).",
  },
  {
    key: "backupPort",
    jenkins: "BACKUP_PORT",
    carriedBy: "both",
    label: "SSH port",
    control: { element: "number", min: 1, max: 65535 },
    jenkinsDefault: "22",
    numeric: true,
    declaration: { kind: "string" },
    scheduleJobDescription: "SSH port of the backup server.",
  },
  {
    key: "backupPath",
    jenkins: "BACKUP_PATH",
    carriedBy: "both",
    label: "Backup file path",
    hint: "Absolute path on the backup host, e.g. /srv/backups/shop-2026-05-01.sql.gz.gpg",
    control: { element: "text", maxLength: 1024, required: true, placeholder: "/srv/backups/…", code: true },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Absolute path of the backup file (the directory when a pattern is set).",
  },
  // Backup selection (issue 14 item 1; scripts/lib/select.sh in the decrypt stage).
  {
    key: "backupPattern",
    jenkins: "BACKUP_PATTERN",
    carriedBy: "both",
    label: "File-name pattern (optional)",
    hint:
      "Test the newest backup, not a fixed file: the path above is then the directory, and the newest matching file is " +
      "tested — a glob such as shop-*.sql.gz.gpg or a date template such as shop-%Y-%m-%d.sql.gz.gpg.",
    control: { element: "text", maxLength: 200, required: false, placeholder: "shop-*.sql.gz.gpg", code: true },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "File-name pattern whose newest match is tested (empty = the path is the file).",
  },
  {
    key: "backupTimeZone",
    jenkins: "BACKUP_TIME_ZONE",
    carriedBy: "both",
    label: "Zone of the dates in file names (optional)",
    hint: "IANA name such as Europe/Berlin, for a date template. Empty: UTC for a run, the schedule's own time zone for a schedule.",
    control: { element: "text", maxLength: 64, required: false, placeholder: "UTC", code: true },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Time zone of a date template's dates.",
  },
  {
    key: "maxBackupAgeHours",
    jenkins: "MAX_BACKUP_AGE_HOURS",
    carriedBy: "both",
    label: "Maximum backup age (hours, optional)",
    hint:
      "A tested file older than this fails the run as stale (it is still restored). Empty: no limit for a run; " +
      "a schedule's default follows its frequency (daily 26 h, weekly 8 days, monthly 32 days).",
    control: { element: "number", min: 1, max: 8784 },
    jenkinsDefault: "",
    numeric: true,
    declaration: { kind: "string" },
    scheduleJobDescription: "Hours the tested file may be old before the run fails BACKUP_STALE.",
  },
  {
    key: "backupHostKey",
    jenkins: "BACKUP_HOST_KEY",
    carriedBy: "both",
    label: "Backup host's SSH host key (optional)",
    hint:
      "One line from `ssh-keyscan HOST`, e.g. ssh-ed25519 AAAA…. It proves Jenkins talks to the right server. " +
      "Left empty, Jenkins trusts the first key it sees and refuses a different one later.",
    control: { element: "textarea", maxLength: 2000, rows: 2 },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Expected SSH host key of the backup server (empty = the first key seen).",
  },
  {
    key: "sshCredentialId",
    jenkins: "SSH_CREDENTIAL_ID",
    carriedBy: "both",
    label: "SSH key",
    hint: "The key Jenkins uses to log in to the backup host (id — description — fingerprint).",
    control: { element: "ssh-key" },
    jenkinsDefault: "",
    declaration: { kind: "credentials", jjbType: "sshkey", credentialType: SSH_KEY_TYPE, required: true },
    scheduleJobDescription: "The SSH key that opens the backup server.",
  },
  {
    key: "gpgCredentialId",
    jenkins: "GPG_CREDENTIAL_ID",
    carriedBy: "both",
    label: "GPG key",
    hint: "The key that decrypts the backup.",
    control: { element: "gpg-key" },
    jenkinsDefault: "",
    declaration: { kind: "credentials", jjbType: "secretfile", credentialType: SECRET_FILE_TYPE, required: false },
    scheduleJobDescription: "The GPG key that decrypts the backup (empty = not encrypted).",
  },
  {
    key: "dbType",
    jenkins: "DB_TYPE",
    carriedBy: "both",
    label: "Database type",
    control: { element: "db-type" },
    jenkinsDefault: "",
    declaration: { kind: "choice" },
    scheduleJobDescription: "Database engine of the backup.",
  },
  {
    key: "sandboxProvider",
    jenkins: "SANDBOX_PROVIDER",
    carriedBy: "both",
    label: "Sandbox",
    hint: "Where the throwaway database runs. It is destroyed after every run.",
    control: { element: "sandbox-provider" },
    jenkinsDefault: "local",
    declaration: { kind: "choice" },
    scheduleJobDescription: "Where the disposable database server runs.",
  },
  {
    key: "notifyEmail",
    jenkins: "NOTIFY_EMAIL",
    carriedBy: "both",
    label: "Notify by e-mail",
    hint: "Addresses Jenkins mails when the restore fails, separated by commas (optional).",
    control: { element: "text", maxLength: 1000, required: false, placeholder: "ops@example.com" },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Addresses Jenkins mails when the restore fails.",
  },
  // Data checks (issue 14 items 2 and 3; lib/pipeline/data-checks.ts): run inside the sandbox after the restore.
  {
    key: "assertions",
    jenkins: "ASSERTIONS",
    carriedBy: "both",
    label: "Data assertions (optional)",
    hint: "Tables that must exist and minimum row counts, one per line or separated by commas, e.g. orders >= 1000, customers.",
    control: { element: "textarea", maxLength: 2000, rows: 2 },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Tables that must exist and minimum row counts (empty = none).",
  },
  {
    key: "freshnessQuery",
    jenkins: "FRESHNESS_QUERY",
    carriedBy: "both",
    label: "Freshness query (optional)",
    hint:
      "One read-only SELECT returning a timestamp, e.g. SELECT max(created_at) FROM orders. It runs in the sandbox, read-only, " +
      "with a time limit; a value older than the maximum data age before the backup's time fails the run.",
    control: { element: "textarea", maxLength: 2000, rows: 2 },
    jenkinsDefault: "",
    declaration: { kind: "string" },
    scheduleJobDescription: "Read-only SELECT returning the newest data's timestamp (empty = none).",
  },
  {
    key: "freshnessMaxAgeHours",
    jenkins: "FRESHNESS_MAX_AGE_HOURS",
    carriedBy: "both",
    label: "Maximum data age (hours)",
    hint: "How much older than the backup the freshness query's timestamp may be.",
    control: { element: "number", min: 1, max: 8784 },
    jenkinsDefault: "26",
    numeric: true,
    declaration: { kind: "string" },
    scheduleJobDescription: "Hours the freshness query's timestamp may lie before the backup's time.",
  },
] as const satisfies readonly PipelineParameter[];

export type PipelineParameterRow = (typeof PIPELINE_PARAMETERS)[number];
export type ParameterKey = PipelineParameterRow["key"];
export type RunParameterKey = Extract<PipelineParameterRow, { carriedBy: "run" | "both" }>["key"];
export type ScheduleParameterKey = Extract<PipelineParameterRow, { carriedBy: "schedule" | "both" }>["key"];

const rows: readonly PipelineParameter[] = PIPELINE_PARAMETERS;
export const RUN_PARAMETERS = rows.filter((p) => p.carriedBy !== "schedule");
export const SCHEDULE_PARAMETERS = rows.filter((p) => p.carriedBy !== "run");

/**
 * Build parameters the portal sets that are not the user's: the run's id and callback URL, the
 * schedule's name for the failure mail, and the directories the SSH key may read. Never form fields.
 */
export const PORTAL_BUILD_PARAMETERS = ["ALLOWED_PATH_PREFIXES", "RUN_ID", "CALLBACK_URL", "SCHEDULE_NAME"] as const;

/** The JJB template variable of a parameter in jenkins-jobs/schedule.yaml: backupHostKey → backup-host-key. */
export const templateVariableOf = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One row of the table, typed by its key. */
export function parameterRow<K extends ParameterKey>(key: K): Extract<PipelineParameterRow, { key: K }> {
  const row = PIPELINE_PARAMETERS.find((p) => p.key === key);
  if (!row) throw new Error(`No pipeline parameter ${key}`);
  return row as Extract<PipelineParameterRow, { key: K }>;
}

/** Stored parameters as the form holds them (strings), to prefill a form. */
export function formValuesOf(rowsOfForm: readonly PipelineParameter[], values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(rowsOfForm.flatMap((row) => (values[row.key] === undefined ? [] : [[row.key, String(values[row.key])]])));
}
