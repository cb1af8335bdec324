import { parseCredentialConfigXml, parseCredentialList, type JenkinsCredentialSummary } from "../credentials/jenkins-xml";
import { JenkinsError } from "./errors";
import { credentialIdSchema, SYSTEM_CREDENTIALS_PATH } from "./paths";
import type { JenkinsTransport } from "./transport";

// Credentials in the system store, global domain. Create/update/delete/exists
// go through the npm client (positional arguments, folder "manage" + store
// "system" → /manage/credentials/store/system/…); the list goes through fetch
// because the client hard-codes tree=credentials[id].

const FOLDER = "manage";
const STORE = "system";
const DOMAIN = "_";
const LIST_TREE = "credentials[id,description,typeName,displayName]";

/** A credential XML body, in the clear or wrapped in lib/credentials' SecretValue. */
export type CredentialXml = string | { reveal(): string };

const reveal = (xml: CredentialXml) => (typeof xml === "string" ? xml : xml.reveal());

/** Creates a credential from its XML; an id already in use is a `conflict`. */
export async function createCredential(transport: JenkinsTransport, xml: CredentialXml): Promise<void> {
  await transport.client("credentials.create", false, (client) => client.credentials.create(FOLDER, STORE, DOMAIN, reveal(xml)));
}

/** Replaces a credential with a full XML body; always send the real secret values. */
export async function updateCredential(transport: JenkinsTransport, id: string, xml: CredentialXml): Promise<void> {
  const credentialId = credentialIdSchema.parse(id);
  await transport.client(`credentials.update ${credentialId}`, false, (client) =>
    client.credentials.config(credentialId, FOLDER, STORE, DOMAIN, reveal(xml)),
  );
}

export async function deleteCredential(transport: JenkinsTransport, id: string): Promise<void> {
  const credentialId = credentialIdSchema.parse(id);
  await transport.client(`credentials.delete ${credentialId}`, false, (client) =>
    client.credentials.destroy(credentialId, FOLDER, STORE, DOMAIN),
  );
}

export async function credentialExists(transport: JenkinsTransport, id: string): Promise<boolean> {
  const credentialId = credentialIdSchema.parse(id);
  return transport.client(`credentials.exists ${credentialId}`, true, (client) =>
    client.credentials.exists(credentialId, FOLDER, STORE, DOMAIN),
  );
}

/** Id, description and kind of one credential; Jenkins redacts every secret in what it returns. */
export async function getCredential(transport: JenkinsTransport, id: string): Promise<JenkinsCredentialSummary> {
  const credentialId = credentialIdSchema.parse(id);
  const operation = `credentials.get ${credentialId}`;
  const xml = await transport.client(operation, true, (client) => client.credentials.config(credentialId, FOLDER, STORE, DOMAIN));
  try {
    return parseCredentialConfigXml(xml);
  } catch (error) {
    throw new JenkinsError("bad-response", operation, error instanceof Error ? error.message : "unreadable credential XML");
  }
}

export async function listCredentials(transport: JenkinsTransport): Promise<JenkinsCredentialSummary[]> {
  const operation = "credentials.list";
  const json = await transport.getJson(operation, `${SYSTEM_CREDENTIALS_PATH}api/json`, { tree: LIST_TREE });
  try {
    return parseCredentialList(json);
  } catch (error) {
    throw new JenkinsError("bad-response", operation, error instanceof Error ? error.message : "unreadable credential list");
  }
}
