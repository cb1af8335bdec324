import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/http/responses";
import type { LiveEvent, LiveRuns } from "./live";
import { RUN_ID_PATTERN } from "./report";

// GET /api/runs/[id]/events?logOffset=N as a plain function of the request: Server-Sent Events
//   event: run      data: RunView                          (whenever it changes)
//   event: log      id: <next>  data: {offset, next, text} (console from logOffset, never twice)
//   event: jenkins  data: {ok} | {ok:false, kind, message} (when Jenkins becomes (un)reachable)
//   event: end      data: {}                               (run finished, log complete; then close)
// Log events carry `id: <next>`, so an EventSource that reconnects by itself sends
// Last-Event-ID and resumes where it stopped. A client that stops reading for a minute is
// dropped, so one stalled tab cannot hold the shared poller back for long.

export const MAX_LOG_OFFSET = 2 ** 45;
const offsetSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number)
  .pipe(z.number().int().min(0).max(MAX_LOG_OFFSET));
const HIGH_WATER_BYTES = 256 * 1024;
const STALL_MS = 60_000;
const HEARTBEAT_MS = 15_000;

export function encodeEvent(event: LiveEvent): string {
  const id = event.event === "log" ? `id: ${event.data.next}\n` : "";
  return `event: ${event.event}\n${id}data: ${JSON.stringify(event.data)}\n\n`;
}

/** The offset to start from: Last-Event-ID (an EventSource reconnecting) wins over ?logOffset. */
export function requestedOffset(request: Request): { ok: true; offset: number } | { ok: false; message: string } {
  const url = new URL(request.url);
  const query = url.searchParams.getAll("logOffset");
  if (query.length > 1) return { ok: false, message: "Give logOffset once." };
  const fromQuery = query.length ? offsetSchema.safeParse(query[0]) : { success: true as const, data: 0 };
  if (!fromQuery.success) return { ok: false, message: `logOffset must be a whole number of bytes from 0 to ${MAX_LOG_OFFSET}.` };
  const lastEventId = request.headers.get("last-event-id");
  if (lastEventId) {
    const fromHeader = offsetSchema.safeParse(lastEventId);
    if (fromHeader.success) return { ok: true, offset: fromHeader.data };
  }
  return { ok: true, offset: fromQuery.data };
}

export async function runEventsResponse(deps: { db: Db; live: LiveRuns }, request: Request, id: string): Promise<Response> {
  if (!RUN_ID_PATTERN.test(id)) return badRequest("That is not a run id.", "bad-request");
  const offset = requestedOffset(request);
  if (!offset.ok) return badRequest(offset.message, "bad-request");
  const exists = await deps.db.restoreRun.findUnique({ where: { id }, select: { id: true } });
  if (!exists) return notFound("No such run.");

  const encoder = new TextEncoder();
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let drained: (() => void) | null = null;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const shutdown = () => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    unsubscribe?.();
    drained?.();
    try {
      controllerRef?.close();
    } catch {
      // already closed or errored by the reader going away
    }
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        // A reader that went away can leave the stream closed or errored before cancel() runs:
        // a write then ends this feed quietly instead of throwing out of a timer or the poller.
        const write = (text: string): boolean => {
          if (closed) return false;
          try {
            controller.enqueue(encoder.encode(text));
            return true;
          } catch {
            shutdown();
            return false;
          }
        };
        write("retry: 2000\n\n");
        heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
        unsubscribe = deps.live.subscribe(id, offset.offset, {
          async send(event) {
            if (!write(encodeEvent(event))) return false;
            if ((controller.desiredSize ?? 1) <= 0) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, STALL_MS);
                drained = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
              drained = null;
              if (!closed && (controller.desiredSize ?? 1) <= 0) shutdown();
            }
            return !closed;
          },
          close: shutdown,
        });
        if (request.signal?.aborted) shutdown();
        else request.signal?.addEventListener("abort", shutdown, { once: true });
      },
      pull() {
        drained?.();
      },
      cancel() {
        shutdown();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Tells nginx not to buffer the stream.
      "x-accel-buffering": "no",
    },
  });
}
