import { createHash } from "node:crypto";
import { XMLParser } from "fast-xml-parser";

// Jenkins does not serve back the bytes it was given: after createItem or a config POST it
// unmarshals the config and writes its own serialisation (AbstractItem.updateByXml →
// XmlFile.write), and rewrites it on every later save (enable, disable, a plugin upgrade): the
// XML declaration (version 1.1, single quotes), two-space indentation, its own escaping,
// plugin="name@version" attributes, and hudson.util.Secret fields encrypted as "{AQAAAB…}" with
// a fresh iv whenever plain text is posted. Comparing configs therefore compares a canonical
// form: no declaration or comments, whitespace-only text dropped, entities decoded then
// re-escaped one way, attributes sorted, plugin= removed, and every secret — an encrypted value,
// or the text of a known Secret field — replaced by one marker. So an edit made in Jenkins still
// shows, a re-serialisation does not; an edit of a secret's value cannot be seen (Jenkins never
// serves it decrypted).

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

const IGNORED_ATTRIBUTES = new Set(["plugin"]);

/** hudson.util.Secret.ENCRYPTED_VALUE_PATTERN, braces required (what getEncryptedValue writes). */
const ENCRYPTED_SECRET = /^\{[A-Za-z0-9+/]+={0,2}\}$/;
/** Secret-typed fields that may hold plain text in what the portal renders: [owner, field]. */
const SECRET_FIELDS = new Set(["hudson.model.PasswordParameterDefinition/defaultValue"]);
const SECRET_MARKER = "[secret]";

type OrderedNode = Record<string, unknown>;

export function canonicalXml(xml: string): string {
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml, true) as OrderedNode[];
  } catch (error) {
    throw new Error(`config.xml cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return serialize(nodes);
}

export function xmlFingerprint(xml: string): string {
  return createHash("sha256").update(canonicalXml(xml)).digest("hex");
}

function serialize(nodes: OrderedNode[], path: readonly string[] = []): string {
  let out = "";
  const secretField = SECRET_FIELDS.has(path.slice(-2).join("/"));
  for (const node of nodes) {
    if ("#text" in node) {
      const text = String(node["#text"]);
      if (text.trim() === "") continue;
      out += secretField || ENCRYPTED_SECRET.test(text.trim()) ? SECRET_MARKER : escapeText(text);
      continue;
    }
    const tag = Object.keys(node).find((key) => key !== ":@");
    if (tag === undefined || tag.startsWith("?") || tag === "#comment") continue;
    const attributes = Object.entries((node[":@"] as Record<string, unknown> | undefined) ?? {})
      .filter(([name]) => !IGNORED_ATTRIBUTES.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ` ${name}="${escapeText(String(value)).replace(/"/g, "&quot;")}"`)
      .join("");
    out += `<${tag}${attributes}>${serialize((node[tag] as OrderedNode[]) ?? [], [...path, tag])}</${tag}>`;
  }
  return out;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r\n?/g, "\n");
}
