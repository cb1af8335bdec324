import { gzipSync } from "node:zlib";

// Console notes (hudson.console.ConsoleNote): markup hidden in the raw log as
// ESC[8m "ha:" Base64(serialised note) ESC[0m, placed right before the text they annotate
// (HyperlinkNote.encodeTo(url, text) = note + text). Jenkins keeps them in the log file;
// consoleText and the mailer's log tail strip them, progressiveText serves them raw since 2.509.
// The payload here is opaque (gzipped JSON instead of a Java object with a MAC) — readers must
// only ever skip it.

export const NOTE_PREAMBLE = "\u001b[8mha:";
export const NOTE_POSTAMBLE = "\u001b[0m";

/** HyperlinkNote.encodeTo: the note, then the text (newlines in it become spaces). */
export function hyperlink(url: string, text: string): string {
  const shown = text.replace(/[\r\n]/g, " ");
  const payload = gzipSync(Buffer.from(JSON.stringify({ note: "HyperlinkNote", url, length: shown.length })));
  return `${NOTE_PREAMBLE}////4${payload.toString("base64")}${NOTE_POSTAMBLE}${shown}`;
}

/** ConsoleNote.removeNotes: every note taken out, the text around it kept. */
export function removeNotes(text: string): string {
  let out = text;
  for (let start = out.indexOf(NOTE_PREAMBLE); start >= 0; start = out.indexOf(NOTE_PREAMBLE, start)) {
    const end = out.indexOf(NOTE_POSTAMBLE, start);
    if (end < 0) break;
    out = out.slice(0, start) + out.slice(end + NOTE_POSTAMBLE.length);
  }
  return out;
}
