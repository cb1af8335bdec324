import { createHash } from "node:crypto";
import { XMLParser } from "fast-xml-parser";

// Jenkins does not serve back the bytes it was given: it rewrites the XML
// declaration (version 1.1, single quotes), re-indents, re-escapes, and adds
// plugin="name@version" attributes. Comparing configs therefore compares a
// canonical form: no declaration or comments, whitespace-only text dropped,
// entities decoded then re-escaped one way, attributes sorted, plugin= removed.

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

function serialize(nodes: OrderedNode[]): string {
  let out = "";
  for (const node of nodes) {
    if ("#text" in node) {
      const text = String(node["#text"]);
      if (text.trim() !== "") out += escapeText(text);
      continue;
    }
    const tag = Object.keys(node).find((key) => key !== ":@");
    if (tag === undefined || tag.startsWith("?") || tag === "#comment") continue;
    const attributes = Object.entries((node[":@"] as Record<string, unknown> | undefined) ?? {})
      .filter(([name]) => !IGNORED_ATTRIBUTES.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ` ${name}="${escapeText(String(value)).replace(/"/g, "&quot;")}"`)
      .join("");
    out += `<${tag}${attributes}>${serialize((node[tag] as OrderedNode[]) ?? [])}</${tag}>`;
  }
  return out;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r\n?/g, "\n");
}
