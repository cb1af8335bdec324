// Jenkins hides markup in the raw console log as console notes: ESC[8m "ha:" Base64 ESC[0m, right
// before the text they annotate (e.g. the job names in the parameterized-trigger lines). Since
// Jenkins 2.509 (LTS 2.516.1) logText/progressiveText serves the raw log, notes included, and
// X-Text-Size is the raw file length; before, it stripped them. The portal never shows a note:
// every console text is passed through stripConsoleNotes, and offsets stay raw-log offsets.

const NOTE = /\u001b\[8mha:[^\u001b]*\u001b\[0m/g;

/** The text without its console notes (ConsoleNote.removeNotes). */
export function stripConsoleNotes(text: string): string {
  return text.includes("\u001b[8mha:") ? text.replace(NOTE, "") : text;
}

/** Console text as the portal shows and parses it: no notes, "\n" line ends (Jenkins sends "\r\n"). */
export function plainConsoleText(text: string): string {
  return stripConsoleNotes(text).replace(/\r\n/g, "\n");
}

/** First Jenkins version whose progressiveText is raw (JENKINS-75081, Jenkins commit 3ae85d7c4e). */
const RAW_PROGRESSIVE_SINCE = [2, 509];

/**
 * Whether this Jenkins (its X-Jenkins header) serves progressiveText raw. Raw means: the body
 * holds notes, and while the build runs X-Text-Size can be past an unfinished last line that
 * was not sent (JENKINS-26682) — so the next read must start where the body ended.
 */
export function servesRawProgressiveText(xJenkins: string | null): boolean {
  const parts = /^(\d+)\.(\d+)/.exec(xJenkins ?? "");
  if (!parts) return false; // unknown: follow X-Text-Size, which never repeats text
  const [major, minor] = [Number(parts[1]), Number(parts[2])];
  return major > RAW_PROGRESSIVE_SINCE[0]! || (major === RAW_PROGRESSIVE_SINCE[0] && minor >= RAW_PROGRESSIVE_SINCE[1]!);
}

/**
 * Raw log bytes that a raw progressiveText body stands for. Stapler's LineEndNormalizingWriter
 * sends each "\n" as "\r\n"; the log itself has "\n" line ends (a line that really ended in
 * "\r\n" is counted one byte short, so at worst a line end is read twice — never a byte lost).
 */
export function rawBytesOf(body: Uint8Array): number {
  let crlf = 0;
  for (let i = 1; i < body.length; i++) if (body[i] === 0x0a && body[i - 1] === 0x0d) crlf++;
  return body.length - crlf;
}

/**
 * A byte stream with every console note taken out, line by line (a note never spans lines).
 * consoleText is already plain on every Jenkins; this keeps a download plain whatever serves it.
 */
export function stripConsoleNotesStream(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  return new TransformStream({
    transform(bytes, controller) {
      pending += decoder.decode(bytes, { stream: true });
      const cut = pending.lastIndexOf("\n") + 1;
      if (cut === 0) return;
      controller.enqueue(encoder.encode(stripConsoleNotes(pending.slice(0, cut))));
      pending = pending.slice(cut);
    },
    flush(controller) {
      pending += decoder.decode();
      if (pending) controller.enqueue(encoder.encode(stripConsoleNotes(pending)));
    },
  });
}
