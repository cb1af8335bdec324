import { z } from "zod";
import { DB_TYPES } from "./choices";

// What a restore test restores: shared by the run form, the schedule form, their server actions,
// the REST API and the mapping to Jenkins build parameters. The rules are the ones the pipeline's
// validate step applies (scripts/lib/common.sh), so Jenkins never sees a value it would refuse.

export { DB_TYPES, DB_TYPE_LABELS } from "./choices";
export const SANDBOX_PROVIDERS = ["local"] as const;

const HOST_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(\\.${HOST_LABEL})*$`);
const IPV6 = /^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$/;
/** Any id Jenkins may hold (keys made in Jenkins too), as the jobs accept it. */
export const JENKINS_CREDENTIAL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

export const backupHostSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter the backup server's host name or IP address", abort: true })
  .max(253, "Host names are at most 253 characters")
  .refine((v) => HOST_NAME.test(v) || IPV6.test(v), "Enter a host name (letters, digits, dots, hyphens) or an IP address");

export const backupPortSchema = z.coerce
  .number({ message: "Enter a port number" })
  .int("Enter a whole port number")
  .min(1, "Ports go from 1 to 65535")
  .max(65535, "Ports go from 1 to 65535");

export const backupPathSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter the full path of the backup file", abort: true })
  .max(1024, { message: "Paths are at most 1024 characters", abort: true })
  .refine((v) => v.startsWith("/"), { message: "Enter an absolute path, starting with /", abort: true })
  .refine((v) => /^\/[A-Za-z0-9._/@+,=:~-]*$/.test(v), "Paths may use letters, digits and . _ / @ + , = : ~ - only")
  .refine((v) => !/(^|\/)\.\.(\/|$)/.test(v), "Paths may not contain ..");

export const hostKeySchema = z
  .string()
  .trim()
  .max(2000, "That host key is too long")
  .refine(
    (v) => v === "" || /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]{16,}={0,3}$/.test(v),
    "Paste one line like 'ssh-ed25519 AAAA…' (from ssh-keyscan), or leave empty to trust the first key seen",
  )
  .default("");

const credentialRef = (what: string) =>
  z.string().trim().max(128, `That ${what} id is too long`).refine((v) => v === "" || JENKINS_CREDENTIAL_ID.test(v), `Choose a ${what} from the list`);

export const notifyEmailsSchema = z
  .string()
  .trim()
  .max(1000, "Keep the list under 1000 characters")
  .refine((v) => v === "" || v.split(/[,\s]+/).filter(Boolean).every((e) => EMAIL.test(e)), "Enter email addresses separated by commas")
  .transform((v) => v.split(/[,\s]+/).filter(Boolean).join(","))
  .default("");

export const runParametersSchema = z.object({
  backupHost: backupHostSchema,
  backupPort: backupPortSchema.default(22),
  backupPath: backupPathSchema,
  backupHostKey: hostKeySchema,
  dbType: z.enum(DB_TYPES, { message: "Choose the database type" }),
  sshCredentialId: credentialRef("SSH key").refine((v) => v !== "", "Choose the SSH key that opens the backup server"),
  gpgCredentialId: credentialRef("GPG key").default(""),
  sandboxProvider: z.enum(SANDBOX_PROVIDERS, { message: "Only the local sandbox is available so far" }).default("local"),
  notifyEmail: notifyEmailsSchema,
});

export type RunParameters = z.output<typeof runParametersSchema>;
export type RunParametersInput = z.input<typeof runParametersSchema>;

export const PIPELINE_JOB = "restore-drill-pipeline";
export const PIPELINE_GPG_JOB = "restore-drill-pipeline-gpg";

/** The pipeline job for these parameters: encrypted backups need the variant that binds a GPG key. */
export const pipelineJobFor = (p: RunParameters) => (p.gpgCredentialId ? PIPELINE_GPG_JOB : PIPELINE_JOB);

/** Jenkins build parameters (jenkins-jobs/README.md): values only, never a secret, never script text. */
export function toBuildParameters(p: RunParameters, portal: { runId?: string; callbackUrl?: string; allowedPathPrefixes?: string } = {}): Record<string, string> {
  return {
    BACKUP_HOST: p.backupHost,
    BACKUP_PORT: String(p.backupPort),
    BACKUP_PATH: p.backupPath,
    BACKUP_HOST_KEY: p.backupHostKey,
    SSH_CREDENTIAL_ID: p.sshCredentialId,
    GPG_CREDENTIAL_ID: p.gpgCredentialId,
    DB_TYPE: p.dbType,
    SANDBOX_PROVIDER: p.sandboxProvider,
    NOTIFY_EMAIL: p.notifyEmail,
    RUN_ID: portal.runId ?? "",
    CALLBACK_URL: portal.callbackUrl ?? "",
    // The directories the SSH key may read (lib/credentials/key-paths.ts), checked again by decrypt.
    ...(portal.allowedPathPrefixes !== undefined ? { ALLOWED_PATH_PREFIXES: portal.allowedPathPrefixes } : {}),
  };
}
