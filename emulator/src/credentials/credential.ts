import { randomUUID } from "node:crypto";
import { child, childText, parseXml, type XmlElement } from "../xml";

// One credential as posted (clear-text XML) plus the derived facts the REST
// API and the bindings need.

export interface StoredCredential {
  id: string;
  className: string;
  xml: string;
}

const TYPE_NAMES: Record<string, string> = {
  "com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl": "Username with password",
  "org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl": "Secret text",
  "org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl": "Secret file",
  "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey": "SSH Username with private key",
};

const SECRET_TAGS = ["password", "secret", "secretBytes", "privateKey", "passphrase"];

export class CredentialXmlError extends Error {}

/** Parses posted credential XML; assigns a random UUID id when `<id>` is missing, like the plugin. */
export function parseCredential(xml: string): StoredCredential {
  const root = parseXml(xml);
  if (!TYPE_NAMES[root.tag]) throw new CredentialXmlError(`Unsupported credential type <${root.tag}>`);
  let id = childText(root, "id")?.trim();
  let text = xml.replace(/^\s*<\?xml[^>]*\?>\s*/, "");
  if (!id) {
    id = randomUUID();
    text = text.replace(new RegExp(`(<${escapeRe(root.tag)}[^>]*>)`), `$1\n  <id>${id}</id>`);
  }
  return { id, className: root.tag, xml: text };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every Secret / SecretBytes value replaced by `<secret-redacted/>`, as the credentials plugin serves config.xml. */
export function redactedXml(cred: StoredCredential): string {
  let out = cred.xml;
  for (const tag of SECRET_TAGS) {
    out = out.replace(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, "g"), `<${tag}><secret-redacted/></${tag}>`);
  }
  return out;
}

/**
 * A `<secret-redacted/>` posted back is not "keep the old value": the Secret converter reads
 * the element's text, which is empty, so the stored secret becomes blank.
 */
export function blankRedacted(cred: StoredCredential): StoredCredential {
  let xml = cred.xml;
  for (const tag of SECRET_TAGS) xml = xml.replace(new RegExp(`<${tag}>\\s*<secret-redacted\\s*/>\\s*</${tag}>`, "g"), `<${tag}></${tag}>`);
  return { ...cred, xml };
}

function root(cred: StoredCredential): XmlElement {
  return parseXml(cred.xml);
}

export function typeName(cred: StoredCredential): string {
  return TYPE_NAMES[cred.className] ?? cred.className;
}

export function describe(cred: StoredCredential): { description: string; displayName: string; scope: string } {
  const el = root(cred);
  const description = childText(el, "description") ?? "";
  const suffix = description ? ` (${description})` : "";
  let name: string;
  switch (typeName(cred)) {
    case "Username with password":
      name = `${childText(el, "username") ?? ""}/******${suffix}`;
      break;
    case "Secret file":
      name = `${childText(el, "fileName") ?? ""}${suffix}`;
      break;
    case "SSH Username with private key":
      name = `${childText(el, "username") ?? ""}${suffix}`;
      break;
    default:
      name = description || typeName(cred);
  }
  return { description, displayName: name, scope: (childText(el, "scope") ?? "GLOBAL").trim() };
}

export type CredentialSecrets =
  | { kind: "usernamePassword"; username: string; password: string }
  | { kind: "string"; secret: string }
  | { kind: "file"; fileName: string; bytes: Buffer }
  | { kind: "ssh"; username: string; privateKeys: string[]; passphrase: string };

export function secretsOf(cred: StoredCredential): CredentialSecrets {
  const el = root(cred);
  switch (typeName(cred)) {
    case "Username with password":
      return { kind: "usernamePassword", username: childText(el, "username") ?? "", password: childText(el, "password") ?? "" };
    case "Secret text":
      return { kind: "string", secret: childText(el, "secret") ?? "" };
    case "Secret file": {
      // Like SecretBytes.fromString: anything that is not valid Base64 silently becomes empty.
      const b64 = (childText(el, "secretBytes") ?? "").trim();
      const valid = /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(b64);
      return { kind: "file", fileName: childText(el, "fileName") ?? "secret", bytes: valid ? Buffer.from(b64, "base64") : Buffer.alloc(0) };
    }
    default: {
      const source = child(el, "privateKeySource");
      const keys = (source?.children ?? []).filter((c) => c.tag === "privateKey").map((c) => c.text);
      const legacy = childText(el, "privateKey");
      return {
        kind: "ssh",
        username: childText(el, "username") ?? "",
        privateKeys: keys.length ? keys : legacy ? [legacy] : [],
        passphrase: childText(el, "passphrase") ?? "",
      };
    }
  }
}
