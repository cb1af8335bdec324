// Cuts a streamed console body into `log` events of at most MAX_CHUNK_BYTES, at line ends where
// possible and never inside a UTF-8 character.
//
// Offsets: Jenkins' progressiveText offsets are positions in the raw log file, which on a real
// Jenkins also holds console notes (hyperlinks) that the plain-text body leaves out. So only the
// last chunk of a read carries Jenkins' exact next offset (X-Text-Size); an earlier chunk's
// `next` is its start plus the body bytes sent so far, which is exact on a log without notes and
// otherwise a little short — a client resuming from it may see a few bytes again, never miss any.

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

  /** The rest, ending at Jenkins' next offset (X-Text-Size); null when nothing is left. */
  finish(nextOffset: number): LogEventData | null {
    if (this.#pending.length === 0) return null;
    const chunk = this.#take(this.#pending.length);
    chunk.next = Math.max(chunk.next, nextOffset);
    return chunk;
  }

  #take(length: number): LogEventData {
    const bytes = this.#pending.subarray(0, length);
    this.#pending = this.#pending.subarray(length);
    const chunk = { offset: this.#position, next: this.#position + bytes.length, text: bytes.toString("utf8") };
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
