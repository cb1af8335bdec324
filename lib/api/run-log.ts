import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { ApiProblem } from "./problem";

// GET /api/v1/runs/{id}/log: the console as text/plain. Without Range it is piped from Jenkins'
// consoleText; with one byte range (bytes=a-b, a-, -n) that part is cut from it and answered 206,
// so a script can fetch only what it has not seen yet.

const TEXT_HEADERS = {
  "content-type": "text/plain; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "accept-ranges": "bytes",
};

export type ByteRange = { start: number; end?: number } | { suffix: number };

/** One range of a Range header; null for no header or one we do not serve (then the whole log goes out). */
export function parseRange(header: string | null): ByteRange | null | "invalid" {
  if (!header) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m) return /^bytes=/.test(header.trim()) && header.includes(",") ? null : "invalid";
  const [a, b] = [m[1]!, m[2]!];
  if (a === "" && b === "") return "invalid";
  if (a === "") return { suffix: Number(b) };
  const start = Number(a);
  if (b !== "" && Number(b) < start) return "invalid";
  return b === "" ? { start } : { start, end: Number(b) };
}

export async function runLog(
  deps: { db: Db; jenkins: Pick<JenkinsAdapter, "url" | "openConsoleText"> },
  id: string,
  rangeHeader: string | null,
): Promise<Response> {
  const run = await deps.db.restoreRun.findUnique({ where: { id }, select: { jobName: true, buildNumber: true } });
  if (!run) throw new DomainError("No such run.", { code: "not-found" });
  if (run.buildNumber === null)
    throw new DomainError("This run has no build in Jenkins yet, so there is no console log.", { code: "not-found" });
  const range = parseRange(rangeHeader);
  if (range === "invalid") throw new ApiProblem("range-not-satisfiable", "Ask for one byte range, e.g. Range: bytes=1000-.");
  let body: ReadableStream<Uint8Array>;
  try {
    body = (await deps.jenkins.openConsoleText(run.jobName, run.buildNumber)).body as ReadableStream<Uint8Array>;
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    if (error.kind === "not-found")
      throw new DomainError(`Build #${run.buildNumber} of ${run.jobName} is no longer in Jenkins.`, { code: "not-found" });
    throw new DomainError(jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url }), { code: "jenkins" });
  }
  if (!range) return new Response(body, { status: 200, headers: TEXT_HEADERS });

  // A range needs the total length: read the log once, then cut.
  const whole = Buffer.from(await new Response(body).arrayBuffer());
  const total = whole.length;
  const start = "suffix" in range ? Math.max(0, total - range.suffix) : range.start;
  const end = "suffix" in range ? total - 1 : Math.min(range.end ?? total - 1, total - 1);
  if (start >= total || end < start)
    throw new ApiProblem("range-not-satisfiable", `The log has ${total} bytes; ask for a range inside it.`, undefined, {
      "content-range": `bytes */${total}`,
    });
  return new Response(whole.subarray(start, end + 1), {
    status: 206,
    headers: { ...TEXT_HEADERS, "content-range": `bytes ${start}-${end}/${total}` },
  });
}
