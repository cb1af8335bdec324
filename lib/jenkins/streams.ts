import { z } from "zod";
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
  body: ReadableStream<Uint8Array>;
  cancel(): Promise<void>;
}

/**
 * progressiveText from a byte offset, streamed. While the build runs Jenkins sends complete
 * lines only, so the body never ends inside a character.
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
  return { offset: start, nextOffset: size, more: response.headers.get("x-more-data") === "true", body: response.body, cancel: response.cancel };
}

/** The whole console as plain text (consoleText), streamed. */
export async function openConsoleText(transport: JenkinsTransport, name: string, number: number): Promise<StreamResponse> {
  return transport.stream(`build.consoleText ${name} #${number}`, { path: `${buildPath(name, number)}consoleText` });
}
