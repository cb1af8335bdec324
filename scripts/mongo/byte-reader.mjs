// A pull reader over a byte stream that knows its absolute offset, so every error can say where
// in the dump it happened. Memory stays bounded by the largest single read (one BSON document).

export class DumpError extends Error {
  /** code: DUMP_TRUNCATED | DUMP_CORRUPT; collection: "db.coll" or null; offset: byte offset in the plaintext. */
  constructor(code, message, collection, offset) {
    super(message);
    this.code = code;
    this.collection = collection ?? null;
    this.offset = offset;
  }
}

export class ByteReader {
  constructor(stream) {
    this.iterator = stream[Symbol.asyncIterator]();
    this.chunks = [];
    this.buffered = 0;
    this.offset = 0; // absolute offset of the next unread byte
    this.ended = false;
  }

  /** Ensures n bytes are buffered; returns how many are (fewer only at the end of the stream). */
  async fill(n) {
    while (this.buffered < n && !this.ended) {
      const { value, done } = await this.iterator.next();
      if (done) this.ended = true;
      else if (value.length) {
        this.chunks.push(value);
        this.buffered += value.length;
      }
    }
    return Math.min(n, this.buffered);
  }

  /** Bytes without consuming them (at most what is buffered). */
  async peek(n) {
    const have = await this.fill(n);
    return this.#gather(have, false);
  }

  /** Exactly n bytes, or null when the stream ends first (the caller names what was cut). */
  async read(n) {
    const have = await this.fill(n);
    if (have < n) return null;
    return this.#gather(n, true);
  }

  async atEnd() {
    return (await this.fill(1)) === 0;
  }

  #gather(n, consume) {
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = joined.length ? [joined] : [];
    const out = joined.subarray(0, n);
    if (consume) {
      const rest = joined.subarray(n);
      this.chunks = rest.length ? [rest] : [];
      this.buffered -= n;
      this.offset += n;
    }
    return out;
  }
}

// CRC-64 with the ECMA-182 polynomial in Go's hash/crc64 form (reflected 0xC96C5795D7870F42,
// inverted in and out), which mongodump writes into each namespace's EOF header. Two 32-bit
// halves keep it fast without BigInt per byte.
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ 0xc96c5795) >>> 0;
      lo = (lo ^ 0xd7870f42) >>> 0;
    }
  }
  TABLE_HI[i] = hi;
  TABLE_LO[i] = lo;
}

export class Crc64 {
  hi = 0xffffffff;
  lo = 0xffffffff;

  update(bytes) {
    let { hi, lo } = this;
    for (let i = 0; i < bytes.length; i++) {
      const idx = (lo ^ bytes[i]) & 0xff;
      lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ TABLE_LO[idx]) >>> 0;
      hi = ((hi >>> 8) ^ TABLE_HI[idx]) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }

  /** The sum as an unsigned 64-bit BigInt. */
  value() {
    return (BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0);
  }
}
