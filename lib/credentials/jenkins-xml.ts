import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { credentialDescriptionSchema, credentialIdSchema, sshUsernameSchema } from "./schemas";

// Bodies for POST …/credentials/store/system/domain/_/createCredentials (and for
// POST …/credential/ID/config.xml updates), plus parsers for what Jenkins sends
// back. Pure functions: the HTTP calls live in lib/jenkins/.

export const JENKINS_CREDENTIAL_CLASSES = {
  ssh: "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey",
  sshDirectEntry: "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey$DirectEntryPrivateKeySource",
  file: "org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl",
  secretText: "org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl",
  usernamePassword: "com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl",
} as const;

export const JENKINS_TYPE_NAMES = {
  ssh: "SSH Username with private key",
  file: "Secret file",
  secretText: "Secret text",
  usernamePassword: "Username with password",
} as const;

/** GLOBAL so that jobs can bind the credential; SYSTEM would hide it from them. */
const SCOPE = "GLOBAL";
const GPG_FILE_NAME = /\.(asc|gpg|pgp)$/i;

// Characters XML 1.0 cannot carry even escaped; a key or secret holding one is
// corrupt, and Jenkins would reject the whole body.
const NOT_XML_1_0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const xmlSafeSecret = (what: string) =>
  z
    .string()
    .min(1, { error: `The ${what} is empty` })
    .refine((value) => !NOT_XML_1_0.test(value), { error: `The ${what} holds characters XML cannot carry` });

const sshXmlInputSchema = z.object({
  id: credentialIdSchema,
  description: credentialDescriptionSchema,
  username: sshUsernameSchema,
  privateKey: xmlSafeSecret("private key"),
  passphrase: z.string().optional(),
});
const gpgXmlInputSchema = z.object({
  id: credentialIdSchema,
  description: credentialDescriptionSchema,
  armoredKey: xmlSafeSecret("GPG key"),
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: "The file name must be a plain file name" })
    .optional(),
});
const secretTextXmlInputSchema = z.object({
  id: credentialIdSchema,
  description: credentialDescriptionSchema,
  secret: xmlSafeSecret("secret"),
});

export type SshCredentialXmlInput = z.input<typeof sshXmlInputSchema>;
export type GpgCredentialXmlInput = z.input<typeof gpgXmlInputSchema>;
export type SecretTextCredentialXmlInput = z.input<typeof secretTextXmlInputSchema>;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, indentBy: "  " });
const XML_DECLARATION = { "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" } };

function buildXml(rootElement: string, body: Record<string, unknown>): string {
  return builder.build({ ...XML_DECLARATION, [rootElement]: { scope: SCOPE, ...body } });
}

/**
 * Parses input with a schema, throwing an error that names the failing fields
 * but never their values (the values may be keys).
 */
function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
  throw new Error(`Invalid ${what} credential: ${problems.join("; ")}`);
}

export function buildSshCredentialXml(input: SshCredentialXmlInput): string {
  const { id, description, username, privateKey, passphrase } = parseOrThrow(sshXmlInputSchema, input, "SSH");
  return buildXml(JENKINS_CREDENTIAL_CLASSES.ssh, {
    id,
    description,
    username,
    privateKeySource: { "@_class": JENKINS_CREDENTIAL_CLASSES.sshDirectEntry, privateKey },
    passphrase: passphrase ?? "",
  });
}

/** The armored key goes in as a secret file `<id>.asc` that the decrypt stage imports into a throw-away GNUPGHOME. */
export function buildGpgCredentialXml(input: GpgCredentialXmlInput): string {
  const { id, description, armoredKey, fileName } = parseOrThrow(gpgXmlInputSchema, input, "GPG");
  return buildXml(JENKINS_CREDENTIAL_CLASSES.file, {
    id,
    description,
    fileName: fileName ?? `${id}.asc`,
    secretBytes: Buffer.from(armoredKey, "utf8").toString("base64"),
  });
}

export function buildSecretTextCredentialXml(input: SecretTextCredentialXmlInput): string {
  const { id, description, secret } = parseOrThrow(secretTextXmlInputSchema, input, "secret text");
  return buildXml(JENKINS_CREDENTIAL_CLASSES.secretText, { id, description, secret });
}

// ---------------------------------------------------------------------------
// Reading what Jenkins returns.

export type CredentialKind = "ssh" | "gpg" | "secret-text" | "other";

export interface JenkinsCredentialSummary {
  id: string;
  description: string;
  kind: CredentialKind;
  /** Jenkins' human type name ("Secret file"…), or the XML class name when unknown. */
  typeName: string;
}

const credentialListSchema = z.object({
  credentials: z.array(
    z.object({
      id: z.string().min(1),
      description: z.string().nullish(),
      typeName: z.string().nullish(),
      displayName: z.string().nullish(),
    }),
  ),
});

/**
 * Reads GET …/domain/_/api/json?tree=credentials[id,description,typeName,displayName].
 * The list never shows a secret file's name directly, but Jenkins' display name
 * for one is "fileName" or "fileName (description)", which is how a GPG key file
 * is told apart from other secret files.
 */
export function parseCredentialList(json: unknown): JenkinsCredentialSummary[] {
  const parsed = credentialListSchema.safeParse(json);
  if (!parsed.success) throw new Error("Jenkins returned a credentials list in an unexpected shape");
  return parsed.data.credentials.map(({ id, description, typeName, displayName }) => {
    const text = description ?? "";
    const type = typeName ?? "";
    return { id, description: text, typeName: type, kind: kindFromTypeName(type, fileNameFromDisplayName(displayName, text)) };
  });
}

function kindFromTypeName(typeName: string, fileName: string | null): CredentialKind {
  if (typeName === JENKINS_TYPE_NAMES.ssh) return "ssh";
  if (typeName === JENKINS_TYPE_NAMES.secretText) return "secret-text";
  if (typeName === JENKINS_TYPE_NAMES.file && fileName !== null && GPG_FILE_NAME.test(fileName)) return "gpg";
  return "other";
}

function fileNameFromDisplayName(displayName: string | null | undefined, description: string): string | null {
  if (!displayName) return null;
  const trimmed = description.trim();
  const suffix = ` (${trimmed})`;
  return trimmed !== "" && displayName.endsWith(suffix) ? displayName.slice(0, -suffix.length) : displayName;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // Keep every value a string: an id such as "007" must not become 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
});

const TYPE_NAME_BY_CLASS: Record<string, string> = {
  [JENKINS_CREDENTIAL_CLASSES.ssh]: JENKINS_TYPE_NAMES.ssh,
  [JENKINS_CREDENTIAL_CLASSES.file]: JENKINS_TYPE_NAMES.file,
  [JENKINS_CREDENTIAL_CLASSES.secretText]: JENKINS_TYPE_NAMES.secretText,
  [JENKINS_CREDENTIAL_CLASSES.usernamePassword]: JENKINS_TYPE_NAMES.usernamePassword,
};

/** Reads GET …/credential/ID/config.xml (secrets redacted) or one of our own built bodies. */
export function parseCredentialConfigXml(xml: string): JenkinsCredentialSummary {
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch {
    throw new Error("Jenkins returned credential XML that cannot be parsed");
  }
  const roots = Object.entries(document as Record<string, unknown>).filter(([name]) => !name.startsWith("?"));
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || typeof root[1] !== "object" || root[1] === null) {
    throw new Error("Jenkins returned credential XML without a single credential element");
  }
  const [className, element] = root as [string, Record<string, unknown>];
  const id = textOf(element.id);
  if (!id) throw new Error("Jenkins returned credential XML without an id");
  const typeName = TYPE_NAME_BY_CLASS[className] ?? className;
  const fileName = className === JENKINS_CREDENTIAL_CLASSES.file ? textOf(element.fileName) : null;
  return { id, description: textOf(element.description) ?? "", typeName, kind: kindFromTypeName(typeName, fileName) };
}

/** Text content of a leaf element; "" for an empty element, null when absent or not a leaf. */
function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim();
  return null;
}
