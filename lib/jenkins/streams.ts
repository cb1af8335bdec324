import { z } from "zod";
import { servesRawProgressiveText } from "./console-notes";
import { JenkinsError } from "./errors";
import { buildPath } from "./paths";
import type { JenkinsTransport, StreamResponse } from "./transport";

// Console logs as streams: a 50 MB log must reach the portal's browser without the portal
// holding it in memory. readLog/readFullLog (builds.ts) buffer; these do not.

export interface LogStream {
  /** Byte offset the body starts at (the requested one). */
  offset: number;
  /** X-Text-Size: the byte offset just past this body, to ask for next. */
  nextOffset: number;
  /** X-More-Data: the build is still running and more output may follow. */
  more: boolean;
  /**
   * The body is the raw log (Jenkins ≥ 2.509): it holds console notes (strip them with
   * plainConsoleText) and, while `more`, may end before `nextOffset` — resume at
   * `offset + rawBytesOf(body)` then (see resumeOffset).
   */
  raw: boolean;
  body: ReadableStream<Uint8Array>;
  cancel(): Promise<void>;
}

/**
 * progressiveText from a raw-log byte offset, streamed. While the build runs Jenkins sends
 * complete lines only, so the body never ends inside a character.
 */
export async function openLog(transport: JenkinsTransport, name: string, number: number, offset = 0): Promise<LogStream> {
  const start = z.number().int().min(0).parse(offset);
  const operation = `build.log ${name} #${number}`;
  const response = await transport.stream(operation, { path: `${buildPath(name, number)}logText/progressiveText`, query: { start } });
  const size = Number(response.headers.get("x-text-size"));
  if (!Number.isSafeInteger(size) || size < 0) {
    await response.cancel();
    throw new JenkinsError("bad-response", operation, "no X-Text-Size header on the log response", response.status);
  }
  const raw = servesRawProgressiveText(response.headers.get("x-jenkins"));
  return {
    offset: start,
    nextOffset: size,
    more: response.headers.get("x-more-data") === "true",
    raw,
    body: response.body,
    cancel: response.cancel,
  };
}

/** Where the next read of this log starts, given the raw log bytes its body stood for. */
export function resumeOffset(log: Pick<LogStream, "offset" | "nextOffset" | "more" | "raw">, rawBytesRead: number): number {
  return log.raw && log.more ? Math.min(log.nextOffset, log.offset + rawBytesRead) : log.nextOffset;
}

/** The whole console as plain text (consoleText), streamed. */
export async function openConsoleText(transport: JenkinsTransport, name: string, number: number): Promise<StreamResponse> {
  return transport.stream(`build.consoleText ${name} #${number}`, { path: `${buildPath(name, number)}consoleText` });
}
