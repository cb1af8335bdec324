import { parseXml, type XmlElement } from "../xml";
import { SecretCodec } from "./secrets";

// Jenkins never stores the config it is given: AbstractItem.updateByXml unmarshals it and
// writes the object back (XmlFile.write: "<?xml version='1.1' encoding='UTF-8'?>", XStream's
// two-space pretty printer, plugin="id@version" on every element whose class a plugin
// provides, hudson.util.Secret fields encrypted). Every later save (enable, disable, a plugin
// upgrade) rewrites the file the same way. Not emulated: XStream's field order and the
// default-valued fields it adds; comments are dropped, as XStream does.

const PLUGIN_OF_CLASS: ReadonlyArray<[prefix: string, plugin: string]> = [
  ["hudson.plugins.parameterizedtrigger.", "parameterized-trigger"],
  ["org.jenkinsci.plugins.postbuildscript.", "postbuildscript"],
  ["org.jenkinsci.plugins.credentialsbinding.", "credentials-binding"],
  ["com.cloudbees.plugins.credentials.", "credentials"],
  ["com.cloudbees.jenkins.plugins.sshcredentials.", "ssh-credentials"],
  ["org.jenkinsci.plugins.plaincredentials.", "plain-credentials"],
  ["hudson.tasks.Mailer", "mailer"],
];

/** Secret-typed fields: (owner element, field element). */
const SECRET_FIELDS: ReadonlyArray<[owner: string, field: string]> = [["hudson.model.PasswordParameterDefinition", "defaultValue"]];

export interface SerialiseOptions {
  pluginVersions: Readonly<Record<string, string>>;
  secrets: SecretCodec;
}

function pluginOf(el: XmlElement): string | undefined {
  const cls = el.attrs.class ?? el.tag;
  return PLUGIN_OF_CLASS.find(([prefix]) => cls.startsWith(prefix))?.[1];
}

/** XStream's PrettyPrintWriter escaping (XML 1.1: a carriage return as &#xd;). */
function escape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#xd;");
}

function write(el: XmlElement, indent: string, parent: XmlElement | undefined, opts: SerialiseOptions): string {
  const attrs = { ...el.attrs };
  const plugin = pluginOf(el);
  // A plugin the emulator does not know keeps what it was given.
  if (plugin && opts.pluginVersions[plugin]) attrs.plugin = `${plugin}@${opts.pluginVersions[plugin]}`;
  const attrText = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escape(v)}"`)
    .join("");
  if (el.children.length === 0) {
    let text = el.text;
    if (parent && SECRET_FIELDS.some(([owner, field]) => parent.tag === owner && el.tag === field) && !SecretCodec.isEncrypted(text)) {
      text = opts.secrets.encrypt(text);
    }
    return text === "" ? `${indent}<${el.tag}${attrText}/>` : `${indent}<${el.tag}${attrText}>${escape(text)}</${el.tag}>`;
  }
  const inner = el.children.map((c) => write(c, `${indent}  `, el, opts)).join("\n");
  return `${indent}<${el.tag}${attrText}>\n${inner}\n${indent}</${el.tag}>`;
}

/** The config.xml Jenkins would write for this (already validated) document. */
export function reserialise(xml: string, opts: SerialiseOptions): string {
  return `<?xml version='1.1' encoding='UTF-8'?>\n${write(parseXml(xml), "", undefined, opts)}`;
}

/** The same document with Secret fields decrypted, for the emulator's own reading of a stored config. */
export function decryptSecrets(xml: string, secrets: SecretCodec): string {
  return xml.replace(
    /(<hudson\.model\.PasswordParameterDefinition\b[\s\S]*?<defaultValue>)(\{[A-Za-z0-9+/]+={0,2}\})(<\/defaultValue>)/g,
    (_m, a: string, enc: string, b: string) => `${a}${escape(secrets.decrypt(enc))}${b}`,
  );
}
