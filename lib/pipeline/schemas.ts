import { z } from "zod";
import { ASSERTIONS_MAX, freshnessQueryProblem, normaliseAssertions, normaliseFreshnessQuery, parseAssertions } from "./data-checks";
import { DB_TYPES } from "./database-types";
import {
  parameterRow,
  RUN_PARAMETERS,
  SCHEDULE_PARAMETERS,
  type ParameterKey,
  type PipelineParameter,
  type RunParameterKey,
  type ScheduleParameterKey,
} from "./parameters";
import { SANDBOX_PROVIDERS } from "./sandbox-providers";
import { backupPatternSchema, backupTimeZoneSchema, maxBackupAgeSchema } from "./selection";

// The zod schema of each row of the pipeline-parameter table (./parameters.ts), and the run and
// schedule schemas made of them. The rules are the ones the pipeline's validate step applies
// (scripts/lib/common.sh), so Jenkins never sees a value it would refuse; the limits are the
// table's, which the form controls use too.

const HOST_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(\\.${HOST_LABEL})*$`);
const IPV6 = /^[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$/;
/** Any id Jenkins may hold (keys made in Jenkins too), as the jobs accept it. */
export const JENKINS_CREDENTIAL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

const hostMax = parameterRow("backupHost").control.maxLength;
export const backupHostSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter the backup server's host name or IP address", abort: true })
  .max(hostMax, `Host names are at most ${hostMax} characters`)
  .refine((v) => HOST_NAME.test(v) || IPV6.test(v), "Enter a host name (letters, digits, dots, hyphens) or an IP address");

const port = parameterRow("backupPort").control;
const portRange = `Ports go from ${port.min} to ${port.max}`;
export const backupPortSchema = z.coerce
  .number({ message: "Enter a port number" })
  .int("Enter a whole port number")
  .min(port.min, portRange)
  .max(port.max, portRange);

const pathMax = parameterRow("backupPath").control.maxLength;
export const backupPathSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter the full path of the backup file", abort: true })
  .max(pathMax, { message: `Paths are at most ${pathMax} characters`, abort: true })
  .refine((v) => v.startsWith("/"), { message: "Enter an absolute path, starting with /", abort: true })
  .refine((v) => /^\/[A-Za-z0-9._/@+,=:~-]*$/.test(v), "Paths may use letters, digits and . _ / @ + , = : ~ - only")
  .refine((v) => !/(^|\/)\.\.(\/|$)/.test(v), "Paths may not contain ..");

export const hostKeySchema = z
  .string()
  .trim()
  .max(parameterRow("backupHostKey").control.maxLength, "That host key is too long")
  .refine(
    (v) =>
      v === "" || /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]{16,}={0,3}$/.test(v),
    "Paste one line like 'ssh-ed25519 AAAA…' (from ssh-keyscan), or leave empty to trust the first key seen",
  )
  .default("");

const credentialRef = (what: string) =>
  z
    .string()
    .trim()
    .max(128, `That ${what} id is too long`)
    .refine((v) => v === "" || JENKINS_CREDENTIAL_ID.test(v), `Choose a ${what} from the list`);

const emailMax = parameterRow("notifyEmail").control.maxLength;
export const notifyEmailsSchema = z
  .string()
  .trim()
  .max(emailMax, `Keep the list under ${emailMax} characters`)
  .refine(
    (v) =>
      v === "" ||
      v
        .split(/[,\s]+/)
        .filter(Boolean)
        .every((e) => EMAIL.test(e)),
    "Enter email addresses separated by commas",
  )
  .transform((v) =>
    v
      .split(/[,\s]+/)
      .filter(Boolean)
      .join(","),
  )
  .default("");

// The data checks (./data-checks.ts): folded to one line, then refused with the rule's own sentence.
export const assertionsSchema = z
  .string()
  .max(ASSERTIONS_MAX, `Keep the assertions under ${ASSERTIONS_MAX} characters`)
  .superRefine((v, ctx) => {
    const parsed = parseAssertions(v);
    if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  })
  .transform(normaliseAssertions)
  .default("");

export const freshnessQuerySchema = z
  .string()
  .max(1_000_000, { message: "Keep the freshness query under 2000 characters", abort: true })
  .transform(normaliseFreshnessQuery)
  .superRefine((v, ctx) => {
    const problem = freshnessQueryProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .default("");

const maxAge = parameterRow("freshnessMaxAgeHours").control;
export const freshnessMaxAgeSchema = z.coerce
  .number({ message: "Enter a number of hours" })
  .int("Enter whole hours")
  .min(maxAge.min, `At least ${maxAge.min} hour`)
  .max(maxAge.max, `At most ${maxAge.max} hours (a year)`)
  .default(Number(parameterRow("freshnessMaxAgeHours").jenkinsDefault));

/** The schema of every row of the table; a row without one does not compile. */
export const PARAMETER_SCHEMAS = {
  backupHost: backupHostSchema,
  backupPort: backupPortSchema.default(Number(parameterRow("backupPort").jenkinsDefault)),
  backupPath: backupPathSchema,
  backupPattern: backupPatternSchema,
  backupTimeZone: backupTimeZoneSchema,
  maxBackupAgeHours: maxBackupAgeSchema,
  backupHostKey: hostKeySchema,
  sshCredentialId: credentialRef("SSH key").refine((v) => v !== "", "Choose the SSH key that opens the backup server"),
  gpgCredentialId: credentialRef("GPG key").default(""),
  dbType: z.enum(DB_TYPES, { message: "Choose the database type" }),
  sandboxProvider: z
    .enum(SANDBOX_PROVIDERS, { message: "The sandbox is local or docker" })
    .default(parameterRow("sandboxProvider").jenkinsDefault),
  notifyEmail: notifyEmailsSchema,
  assertions: assertionsSchema,
  freshnessQuery: freshnessQuerySchema,
  freshnessMaxAgeHours: freshnessMaxAgeSchema,
} as const satisfies { [K in ParameterKey]: z.ZodType };

type Schemas = typeof PARAMETER_SCHEMAS;

function pickSchemas<K extends ParameterKey>(rows: readonly PipelineParameter[]): { [P in K]: Schemas[P] } {
  const all: Record<string, z.ZodType> = PARAMETER_SCHEMAS;
  const shape: Record<string, z.ZodType> = {};
  for (const row of rows) {
    const schema = all[row.key];
    if (!schema) throw new Error(`No schema for the pipeline parameter ${row.key}`);
    shape[row.key] = schema;
  }
  return shape as { [P in K]: Schemas[P] };
}

/** The run form's parameters (and the REST API's): the rows a run carries. */
export const runParametersSchema = z.object(pickSchemas<RunParameterKey>(RUN_PARAMETERS));
export type RunParameters = z.output<typeof runParametersSchema>;
export type RunParametersInput = z.input<typeof runParametersSchema>;

/** A schedule's fixed parameters: the rows a schedule carries. */
export const scheduleParametersSchema = z.object(pickSchemas<ScheduleParameterKey>(SCHEDULE_PARAMETERS));
export type ScheduleParameters = z.output<typeof scheduleParametersSchema>;
