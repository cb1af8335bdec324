import { RUN_PARAMETERS } from "./parameters";
import { runParametersSchema, type RunParameters } from "./schemas";

// A run's parameters as Jenkins build parameters and back (jenkins-jobs/README.md): values only,
// never a secret, never script text. Both directions follow the table (./parameters.ts).

export const PIPELINE_JOB = "restore-drill-pipeline";
export const PIPELINE_GPG_JOB = "restore-drill-pipeline-gpg";

/** The pipeline job for these parameters: encrypted backups need the variant that binds a GPG key. */
export const pipelineJobFor = (p: Pick<RunParameters, "gpgCredentialId">) => (p.gpgCredentialId ? PIPELINE_GPG_JOB : PIPELINE_JOB);

/**
 * The build parameters of a run the portal starts; RUN_ID and CALLBACK_URL tie the build to it, and
 * ALLOWED_PATH_PREFIXES (the directories the SSH key may read, lib/credentials/key-paths.ts) is
 * checked again by the decrypt stage.
 */
export function toBuildParameters(
  p: RunParameters,
  portal: { runId?: string; callbackUrl?: string; allowedPathPrefixes?: string; imageAllowlist?: string } = {},
): Record<string, string> {
  const values: Record<string, unknown> = p;
  const out: Record<string, string> = {};
  for (const row of RUN_PARAMETERS) out[row.jenkins] = String(values[row.key] ?? row.jenkinsDefault);
  out.RUN_ID = portal.runId ?? "";
  out.CALLBACK_URL = portal.callbackUrl ?? "";
  if (portal.allowedPathPrefixes !== undefined) out.ALLOWED_PATH_PREFIXES = portal.allowedPathPrefixes;
  if (portal.imageAllowlist !== undefined) out.IMAGE_ALLOWLIST = portal.imageAllowlist;
  return out;
}

/**
 * The form's values as far as a build's parameters give them: parsed when they validate, else kept
 * raw (numbers as numbers, or null) so that a build started in Jenkins by hand is still shown.
 */
export function parametersOfBuild(p: Record<string, string | null>): Record<string, unknown> {
  const raw: Record<string, string> = {};
  for (const row of RUN_PARAMETERS) raw[row.key] = p[row.jenkins] ?? row.jenkinsDefault;
  const parsed = runParametersSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const kept: Record<string, unknown> = { ...raw };
  for (const row of RUN_PARAMETERS) if (row.numeric) kept[row.key] = Number(raw[row.key]) || null;
  return kept;
}
