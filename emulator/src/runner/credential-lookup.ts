import type { StoredCredential } from "../credentials/credential";
import { CREDENTIALS_PARAMETER_VALUE, type Cause, type ParameterValue } from "../model/build-record";

// credentials plugin: CredentialsProvider.findCredentialById(id, type, run),
// which every credentials binding uses. A `${NAME}` id (or a bare id equal to
// NAME) is taken from the build's CredentialsParameterValue NAME
// (CredentialsParameterBinder imports only those from the ParametersAction);
// a string parameter of that name plays no part, so `${NAME}` is then looked
// up literally and not found.

export interface CredentialLookupInput {
  parameters: readonly ParameterValue[] | null;
  causes: readonly Cause[];
  /** the job's own lookup: its folders, innermost first, then the system store */
  lookup(id: string): StoredCredential | undefined;
  /** whether that user (undefined = anonymous) holds Credentials/UseItem on the job */
  mayUseItemCredentials(userId: string | undefined): boolean;
}

/**
 * CredentialsProvider.triggeredBy: the UserIdCause of the build, else of the
 * build that triggered it, following UpstreamCauses.
 */
export function triggeringUser(causes: readonly Cause[]): string | undefined {
  const user = causes.find((c) => c._class === "hudson.model.Cause$UserIdCause");
  if (user) return typeof user.userId === "string" ? user.userId : undefined;
  const upstream = causes.find((c) => c._class === "hudson.model.Cause$UpstreamCause");
  if (!upstream || typeof upstream.upstreamCausesJson !== "string") return undefined;
  return triggeringUser(JSON.parse(upstream.upstreamCausesJson) as Cause[]);
}

export function credentialResolver(input: CredentialLookupInput): (id: string) => StoredCredential | undefined {
  return (rawId) => {
    const id = rawId.trim();
    const parameterName = id.startsWith("${") && id.endsWith("}") ? id.slice(2, -1) : id;
    const parameter = input.parameters?.find((p) => p.className === CREDENTIALS_PARAMETER_VALUE && p.name === parameterName);
    if (!parameter) return input.lookup(id);
    // A default id was configured on the job, so the job's context vouches for it.
    if (parameter.isDefaultValue) return input.lookup(parameter.value);
    // Otherwise the user who started the run (directly or upstream) must be
    // allowed to use the item's credentials.
    return input.mayUseItemCredentials(triggeringUser(input.causes)) ? input.lookup(parameter.value) : undefined;
  };
}
