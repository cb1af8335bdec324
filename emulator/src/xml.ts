import { XMLParser, XMLValidator } from "fast-xml-parser";

// A small element tree over fast-xml-parser's order-preserving output. Job
// configs are stored verbatim (unknown elements survive untouched); this tree
// is only used to read the parts the emulator acts on.

export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** concatenated direct text content (entities decoded, whitespace kept) */
  text: string;
}

export class XmlSyntaxError extends Error {}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: "#comment",
  processEntities: true,
  htmlEntities: false,
});

type OrderedNode = Record<string, unknown>;

function convert(node: OrderedNode): XmlElement | string | undefined {
  if ("#text" in node) return String(node["#text"]);
  if ("#comment" in node) return undefined;
  const tag = Object.keys(node).find((k) => k !== ":@");
  if (!tag) return undefined;
  const rawAttrs = (node[":@"] ?? {}) as Record<string, unknown>;
  const attrs = Object.fromEntries(Object.entries(rawAttrs).map(([k, v]) => [k, String(v)]));
  const el: XmlElement = { tag, attrs, children: [], text: "" };
  for (const child of (node[tag] ?? []) as OrderedNode[]) {
    const c = convert(child);
    if (typeof c === "string") el.text += c;
    else if (c) el.children.push(c);
  }
  return el;
}

/** Parses an XML document and returns its root element; throws XmlSyntaxError on malformed input. */
export function parseXml(text: string): XmlElement {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw new XmlSyntaxError(`${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`);
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.map(convert).filter((n): n is XmlElement => typeof n === "object");
  if (roots.length !== 1) throw new XmlSyntaxError(`expected exactly one root element, found ${roots.length}`);
  return roots[0]!;
}

export function child(el: XmlElement | undefined, tag: string): XmlElement | undefined {
  return el?.children.find((c) => c.tag === tag);
}

export function childText(el: XmlElement | undefined, tag: string): string | undefined {
  const c = child(el, tag);
  return c === undefined ? undefined : c.text;
}

export function childBool(el: XmlElement | undefined, tag: string, fallback: boolean): boolean {
  const t = childText(el, tag)?.trim();
  return t === undefined || t === "" ? fallback : t === "true";
}

/** Depth-first search for the first descendant with the tag. */
export function findDescendant(el: XmlElement, tag: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.tag === tag) return c;
    const found = findDescendant(c, tag);
    if (found) return found;
  }
  return undefined;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * Sets (or inserts) a direct child element of the root in raw XML text
 * without re-serialising the document — used for `<disabled>` so that the
 * rest of a posted config stays byte-for-byte as it was.
 */
export function setRootChildText(xml: string, tag: string, value: string): string {
  const tagRe = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([\w.:$-]+)[^>]*?(\/?)>/g;
  let depth = 0;
  let rootOpenEnd = -1;
  let rootClose = -1;
  for (let m = tagRe.exec(xml); m; m = tagRe.exec(xml)) {
    const [, closing, name, selfClosing] = m;
    if (!name) continue;
    if (closing) {
      depth--;
      if (depth === 0) rootClose = m.index;
      continue;
    }
    if (depth === 0 && rootOpenEnd < 0) rootOpenEnd = m.index + m[0].length;
    if (depth === 1 && name === tag) {
      const start = m.index;
      if (selfClosing) return xml.slice(0, start) + `<${tag}>${escapeXml(value)}</${tag}>` + xml.slice(start + m[0].length);
      const end = xml.indexOf(`</${tag}>`, start);
      return xml.slice(0, start) + `<${tag}>${escapeXml(value)}</${tag}>` + xml.slice(end + tag.length + 3);
    }
    if (!selfClosing) depth++;
  }
  if (rootOpenEnd < 0 || rootClose < 0) return xml;
  // Jenkins writes <disabled> near the top; inserting right after the root opening is equivalent.
  return xml.slice(0, rootOpenEnd) + `\n  <${tag}>${escapeXml(value)}</${tag}>` + xml.slice(rootOpenEnd);
}
