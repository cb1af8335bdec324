import fs from "node:fs";
import path from "node:path";

// Looks for key material where it must never be: database files, logs, HTML,
// JSON, test artifacts. Shared by the integration tests and tests/e2e/credentials.spec.ts.
// Reports only which needle kind and where, never the needle itself.

export interface Needle {
  /** e.g. "ssh body line 3" — what to print instead of the secret. */
  label: string;
  value: string;
}

/**
 * What counts as the key: every PEM/armor body line long enough to be unique,
 * each such line in base64, and the base64 of the whole key text (as Jenkins'
 * secretBytes carries it) in aligned 48-character slices.
 */
export function needlesFor(label: string, keyText: string): Needle[] {
  const lines = keyText
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 20 && !line.startsWith("-----") && !/^[A-Za-z-]+: /.test(line) && !line.startsWith("="));
  const needles: Needle[] = [];
  lines.forEach((line, i) => {
    needles.push({ label: `${label} body line ${i + 1}`, value: line });
    needles.push({ label: `${label} body line ${i + 1} in base64`, value: Buffer.from(line).toString("base64").slice(0, 40) });
  });
  for (const text of [keyText, `${keyText.trim()}\n`]) {
    const whole = Buffer.from(text).toString("base64");
    for (let at = 0; at + 48 <= whole.length; at += 48 * 4)
      needles.push({ label: `${label} base64 of the key at ${at}`, value: whole.slice(at, at + 48) });
  }
  return needles;
}

export function passphraseNeedle(label: string, passphrase: string): Needle[] {
  return [
    { label, value: passphrase },
    { label: `${label} in base64`, value: Buffer.from(passphrase).toString("base64").replace(/=+$/, "") },
  ];
}

/** Labels of the needles found in a text (or a binary file read as latin1, which keeps every byte). */
export function findNeedles(haystack: string, needles: Needle[]): string[] {
  return needles.filter((n) => haystack.includes(n.value)).map((n) => n.label);
}

/** Every regular file below a directory (missing directory: none). */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesBelow(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Findings per file, as "file: label"; binary files are searched byte for byte and as UTF-16 too (SQLite may store either). */
export function scanFiles(files: string[], needles: Needle[]): string[] {
  const findings: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const texts = [bytes.toString("latin1"), bytes.toString("utf16le")];
    const labels = new Set(texts.flatMap((text) => findNeedles(text, needles)));
    for (const label of labels) findings.push(`${file}: ${label}`);
  }
  return findings;
}
