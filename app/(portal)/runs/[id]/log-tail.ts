/**
 * The tail of a console log that arrives in chunks: only the last `maxLines` complete lines
 * (plus the unfinished one) are kept, so a 50 MB log costs the page a few hundred kilobytes.
 * Each append costs time in proportion to the chunk, never to the whole log.
 */
export interface LogTail {
  lines: string[];
  /** The last line until its newline arrives. */
  partial: string;
  /** Complete lines received in all, kept or not. */
  totalLines: number;
}

export const emptyLogTail: LogTail = { lines: [], partial: "", totalLines: 0 };

/** Where the last `count` lines of `text` (no trailing newline) begin; 0 when it has no more. */
function startOfLastLines(text: string, count: number): number {
  let at = text.length;
  for (let seen = 0; seen < count; seen++) {
    if (at === 0) return 0;
    const nl = text.lastIndexOf("\n", at - 1);
    if (nl < 0) return 0;
    at = nl;
  }
  return at + 1;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

export function appendToTail(tail: LogTail, text: string, maxLines: number): LogTail {
  if (!text) return tail;
  const combined = tail.partial + text;
  const lastNewline = combined.lastIndexOf("\n");
  if (lastNewline < 0) return { ...tail, partial: combined };
  const complete = combined.slice(0, lastNewline);
  const newLines = countNewlines(complete) + 1;
  // Only the part of this chunk that can still be on screen is split into lines.
  const kept = complete.slice(startOfLastLines(complete, maxLines)).split("\n");
  const lines =
    tail.lines.length + kept.length > maxLines
      ? [...tail.lines.slice(tail.lines.length + kept.length - maxLines), ...kept]
      : [...tail.lines, ...kept];
  return { lines, partial: combined.slice(lastNewline + 1), totalLines: tail.totalLines + newLines };
}

/** What the console shows: the kept lines and the unfinished one. */
export function tailText(tail: LogTail): string {
  return tail.lines.length ? tail.lines.join("\n") + "\n" + tail.partial : tail.partial;
}
