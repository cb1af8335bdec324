import { z } from "zod";
import { plainConsoleText, rawBytesOf, servesRawProgressiveText } from "./console-notes";
import { JenkinsError } from "./errors";
import { toBuildStatus, toBuildSummary } from "./mappers";
import { artifactPath, buildNumberSchema, buildPath, jobNameSchema } from "./paths";
import { sleep, type PollOptions } from "./queue";
import type { JenkinsTransport } from "./transport";
import type { BuildStatus, BuildSummary, LogChunk } from "./types";
import { vendorBuildListSchema, vendorBuildSchema } from "./vendor-types";

// Builds: status and stop through the npm client; log, artifacts and the
// ranged build list through fetch (the client posts the log offset as a form
// and has no artifact call).

const CAUSE_FIELDS = "_class,shortDescription,userId,userName,upstreamProject,upstreamBuild,upstreamUrl,addr,note";
const BUILD_TREE = [
  "number,url,building,result,timestamp,duration,queueId,builtOn",
  `actions[_class,parameters[_class,name,value],causes[${CAUSE_FIELDS}]]`,
  "artifacts[fileName,relativePath]",
].join(",");

export const RESTORE_REPORT_FILE = "restore-report.json";
export const MAX_BUILDS_PER_PAGE = 100;
const DEFAULT_ARTIFACT_MAX_BYTES = 8 * 1024 * 1024;

export async function getBuild(transport: JenkinsTransport, name: string, number: number): Promise<BuildStatus> {
  const jobName = jobNameSchema.parse(name);
  const buildNumber = buildNumberSchema.parse(number);
  const operation = `build.get ${jobName} #${buildNumber}`;
  const json = await transport.client(operation, true, (client) => client.build.get(jobName, buildNumber, { tree: BUILD_TREE }));
  const parsed = vendorBuildSchema.safeParse(json);
  if (!parsed.success) throw new JenkinsError("bad-response", operation, "the build JSON has an unexpected shape");
  return toBuildStatus(parsed.data);
}

/** Polls until the build has finished; resolves with its final status. */
export async function waitForBuild(
  transport: JenkinsTransport,
  name: string,
  number: number,
  options: PollOptions = {},
): Promise<BuildStatus> {
  const { timeoutMs = 600_000, pollMs = 1000, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const build = await getBuild(transport, name, number);
    if (!build.building) return build;
    if (Date.now() + pollMs > deadline)
      throw new JenkinsError("timeout", `build.get ${name} #${number}`, `still building after ${timeoutMs} ms`);
    await sleep(pollMs, signal);
  }
}

/** Aborts a running build (302 also for a finished one). Not retried. */
export async function stopBuild(transport: JenkinsTransport, name: string, number: number): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  const buildNumber = buildNumberSchema.parse(number);
  await transport.client(`build.stop ${jobName} #${buildNumber}`, false, (client) => client.build.stop(jobName, buildNumber));
}

const listRangeSchema = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_BUILDS_PER_PAGE, { error: `At most ${MAX_BUILDS_PER_PAGE} builds per page` })
      .default(25),
  })
  .default({ offset: 0, limit: 25 });

/** Newest first, `limit` builds starting `offset` builds back: always a bounded tree range, never allBuilds. */
export async function listBuilds(
  transport: JenkinsTransport,
  name: string,
  range?: { offset?: number; limit?: number },
): Promise<BuildSummary[]> {
  const jobName = jobNameSchema.parse(name);
  const { offset, limit } = listRangeSchema.parse(range);
  const tree = `builds[number,result,building,timestamp,duration,queueId]{${offset},${offset + limit}}`;
  const operation = `job.builds ${jobName}`;
  const json = await transport.client(operation, true, (client) => client.job.get(jobName, { tree }));
  const parsed = vendorBuildListSchema.safeParse(json);
  if (!parsed.success) throw new JenkinsError("bad-response", operation, "the build list JSON has an unexpected shape");
  return parsed.data.builds.map(toBuildSummary);
}

/**
 * Console output from a raw-log byte offset (progressiveText), without console notes. While the
 * build runs Jenkins returns complete lines only, so chunks never split a character.
 */
export async function readLog(transport: JenkinsTransport, name: string, number: number, offset = 0): Promise<LogChunk> {
  const start = z.number().int().min(0).parse(offset);
  const operation = `build.log ${name} #${number}`;
  const response = await transport.http(operation, {
    method: "GET",
    path: `${buildPath(name, number)}logText/progressiveText`,
    query: { start },
  });
  const size = Number(response.headers.get("x-text-size"));
  if (!Number.isSafeInteger(size) || size < 0)
    throw new JenkinsError("bad-response", operation, "no X-Text-Size header on the log response", response.status);
  const more = response.headers.get("x-more-data") === "true";
  // A raw body may stop before X-Text-Size (an unfinished line is not sent): resume where it ended.
  const raw = servesRawProgressiveText(response.headers.get("x-jenkins"));
  const nextOffset = raw && more ? Math.min(size, start + rawBytesOf(response.body)) : size;
  return { text: plainConsoleText(response.body.toString("utf8")), nextOffset, more };
}

/** Reads the whole console log by following progressiveText until it is complete. */
export async function readFullLog(transport: JenkinsTransport, name: string, number: number): Promise<string> {
  let text = "";
  let offset = 0;
  for (;;) {
    const chunk = await readLog(transport, name, number, offset);
    text += chunk.text;
    if (!chunk.more) return text;
    offset = chunk.nextOffset;
    await sleep(500);
  }
}

/** Raw bytes of an archived artifact; `not-found` when the build archived no such file. */
export async function readArtifact(
  transport: JenkinsTransport,
  name: string,
  number: number,
  relativePath: string,
  options: { maxBytes?: number } = {},
): Promise<Buffer> {
  const response = await transport.http(`build.artifact ${name} #${number} ${relativePath}`, {
    method: "GET",
    path: `${buildPath(name, number)}artifact/${artifactPath(relativePath)}`,
    maxBodyBytes: options.maxBytes ?? DEFAULT_ARTIFACT_MAX_BYTES,
  });
  return response.body;
}

/**
 * The archived restore-report.json of a pipeline build, parsed but not
 * validated (its schema belongs to the run domain), or null when the build
 * archived none.
 */
export async function readRestoreReport(transport: JenkinsTransport, name: string, number: number): Promise<unknown | null> {
  const build = await getBuild(transport, name, number);
  const artifact = build.artifacts.find((candidate) => candidate.fileName === RESTORE_REPORT_FILE);
  if (!artifact) return null;
  const bytes = await readArtifact(transport, name, number, artifact.relativePath);
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw new JenkinsError("bad-response", `build.artifact ${name} #${number} ${artifact.relativePath}`, "the restore report is not JSON");
  }
}
