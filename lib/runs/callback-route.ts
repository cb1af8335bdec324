import type { Db } from "@/lib/db/client";
import { acceptCallback, MAX_CALLBACK_BYTES } from "./callback";
import { callbackSecret } from "./config";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature";

/** Reads the request (bounded) and answers with acceptCallback's verdict. */
export async function callbackResponse(deps: { db: Db; secret?: string | null; now?: () => Date }, request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_CALLBACK_BYTES)
    return Response.json({ ok: false, error: "too-large", message: "The report is too large." }, { status: 413 });
  const body = await readBounded(request, MAX_CALLBACK_BYTES);
  if (body === null) return Response.json({ ok: false, error: "too-large", message: "The report is too large." }, { status: 413 });
  const result = await acceptCallback(
    { db: deps.db, secret: deps.secret === undefined ? callbackSecret() : deps.secret, now: deps.now },
    { timestamp: request.headers.get(TIMESTAMP_HEADER), signature: request.headers.get(SIGNATURE_HEADER), body },
  );
  return Response.json(result.body, { status: result.status });
}

async function readBounded(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return null;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
