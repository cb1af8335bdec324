import zlib from "node:zlib";

/**
 * A cached page body, kept so that every answer can carry a nonce of its own (the CSP nonce must
 * differ per response) without rendering or compressing the page again.
 *
 * The body is kept as the pieces between the occurrences of the nonce it was rendered with. For
 * clients that accept gzip each piece is also kept as raw deflate ending in a sync flush: such
 * streams may be joined one after another, so an answer is the pieces with the new nonce (a stored
 * block, no compression work) between them, a final empty block, and the gzip header and trailer.
 */
export interface SplicedBody {
  /** The text between nonce occurrences, in order: one more piece than occurrences. */
  readonly plain: readonly Buffer[];
  /** The same pieces, each compressed as raw deflate ending in a sync flush. */
  readonly deflated: readonly Buffer[];
  readonly nonceLength: number;
  /** Memory held, for the cache's byte budget. */
  readonly bytes: number;
}

export function spliceBody(body: Buffer, nonce: string): SplicedBody {
  const marker = Buffer.from(nonce, "latin1");
  const plain: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, from)) {
    plain.push(body.subarray(from, at));
    from = at + marker.length;
  }
  plain.push(body.subarray(from));
  const deflated = plain.map((piece) => zlib.deflateRawSync(piece, { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  const bytes = body.length + deflated.reduce((sum, piece) => sum + piece.length, 0);
  return { plain, deflated, nonceLength: marker.length, bytes };
}

function withNonce(pieces: readonly Buffer[], nonce: Buffer): Buffer[] {
  return pieces.flatMap((piece, i) => (i === 0 ? [piece] : [nonce, piece]));
}

export function plainBody(body: SplicedBody, nonce: string): Buffer {
  return Buffer.concat(withNonce(body.plain, nonceBytes(body, nonce)));
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]); // deflate, no name, no mtime, unknown OS
const FINAL_EMPTY_BLOCK = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]); // BFINAL stored block of length 0

/** A stored (uncompressed) deflate block: byte-aligned, as every piece ends on a sync flush. */
function storedBlock(data: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt16LE(data.length, 1);
  header.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([header, data]);
}

export function gzipBody(body: SplicedBody, nonce: string): Buffer {
  const nonceRaw = nonceBytes(body, nonce);
  let crc = 0;
  let size = 0;
  for (const piece of withNonce(body.plain, nonceRaw)) {
    crc = zlib.crc32(piece, crc);
    size += piece.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, ...withNonce(body.deflated, storedBlock(nonceRaw)), FINAL_EMPTY_BLOCK, trailer]);
}

function nonceBytes(body: SplicedBody, nonce: string): Buffer {
  const raw = Buffer.from(nonce, "latin1");
  // Same length or the RSC payload's length-prefixed text rows would no longer add up.
  if (raw.length !== body.nonceLength) throw new Error(`a nonce of ${raw.length} bytes cannot replace one of ${body.nonceLength}`);
  return raw;
}
