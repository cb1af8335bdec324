import { rawBytesOf } from "@/lib/jenkins";

// Cuts a streamed console body into `log` events of at most MAX_CHUNK_BYTES, at line ends where
// possible and never inside a UTF-8 character.
//
// Offsets are positions in Jenkins' raw log file, which also holds console notes (hyperlinks).
// Since Jenkins 2.509 progressiveText sends the raw log, notes included, so the bytes counted
// here (less the "\r" Jenkins adds before each "\n", see rawBytesOf) are raw-log bytes and each
// chunk's `next` is exact. An older Jenkins leaves the notes out of the body: there only the
// last chunk of a read carries Jenkins' exact next offset (X-Text-Size), an earlier chunk's
// `next` is a little short — a client resuming from it may see a few bytes again, never miss
// any. The text is sent as Jenkins gave it; the caller strips the notes (plainConsoleText).

export const MAX_CHUNK_BYTES = 128 * 1024;

export interface LogEventData {
  /** Byte offset this text starts at. */
  offset: number;
  /** Offset to resume from after this text. */
  next: number;
  text: string;
}

export class LogChunker {
  #pending: Buffer = Buffer.alloc(0);
  #position: number;

  constructor(offset: number) {
    this.#position = offset;
  }

  /** Complete chunks available after adding these bytes. */
  push(bytes: Uint8Array): LogEventData[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, bytes]) : Buffer.from(bytes);
    const out: LogEventData[] = [];
    while (this.#pending.length >= MAX_CHUNK_BYTES) {
      const window = this.#pending.subarray(0, MAX_CHUNK_BYTES);
      const newline = window.lastIndexOf(0x0a);
      out.push(this.#take(newline >= 0 ? newline + 1 : utf8Boundary(this.#pending, MAX_CHUNK_BYTES)));
    }
    return out;
  }

  /** The raw-log offset just past everything pushed so far. */
  get end(): number {
    return this.#position + rawBytesOf(this.#pending);
  }

  /** The rest, ending at the offset to resume from (see resumeOffset); null when nothing is left. */
  finish(nextOffset: number): LogEventData | null {
    if (this.#pending.length === 0) return null;
    const chunk = this.#take(this.#pending.length);
    chunk.next = Math.max(chunk.next, nextOffset);
    return chunk;
  }

  #take(length: number): LogEventData {
    const bytes = this.#pending.subarray(0, length);
    this.#pending = this.#pending.subarray(length);
    const chunk = { offset: this.#position, next: this.#position + rawBytesOf(bytes), text: bytes.toString("utf8") };
    this.#position = chunk.next;
    return chunk;
  }
}

/** The largest cut ≤ limit that does not split a UTF-8 sequence. */
function utf8Boundary(bytes: Buffer, limit: number): number {
  let cut = limit;
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return cut > 0 ? cut : limit;
}
