import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/http/responses";
import { isJenkinsError, stripConsoleNotes, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { RUN_ID_PATTERN } from "./report";

// Each stage's own console (issue 19 item 4). The pipeline only prints "Waiting for the
// completion of …"; the real ssh, gpg and import output is in the stage builds it triggers.
// Their numbers come from the same parameterized-trigger lines the stage cards are read from
// (lib/runs/stages.ts):  "restore-drill-deploy #12 started."  — folder jobs print
// "folder » restore-drill-deploy". The portal reads those builds' progressiveText with its own
// Jenkins account, so nobody needs one; Jenkins' own password masking has already been applied
// to what progressiveText returns, and console notes are stripped (readLog).

export const LOG_STAGES = ["decrypt", "deploy", "restore", "destroy"] as const;
export type LogStage = (typeof LOG_STAGES)[number];

export interface StageBuild {
  stage: LogStage;
  job: string;
  build: number;
}

const STARTED = /^(.+?) #(\d+) started\.\s*$/;
const STAGE_OF_JOB = /(?:^|\/)[A-Za-z0-9._-]*?-(decrypt|decrypt-gpg|deploy|restore|restore-gpg|destroy)$/;

/** The stage builds a pipeline console names, first mention of each stage wins. */
export function stageBuildsFromConsole(text: string): StageBuild[] {
  const found = new Map<LogStage, StageBuild>();
  for (const raw of text.split("\n")) {
    const started = STARTED.exec(stripConsoleNotes(raw).replace(/\r$/, ""));
    if (!started) continue;
    // "folder » job" is the display form of the job path folder/job.
    const job = started[1]!
      .trim()
      .split(/\s+»\s+/)
      .join("/");
    const match = STAGE_OF_JOB.exec(job);
    if (!match) continue;
    const stage = match[1]!.replace(/-gpg$/, "") as LogStage;
    if (!found.has(stage)) found.set(stage, { stage, job, build: Number(started[2]) });
  }
  return LOG_STAGES.flatMap((stage) => (found.has(stage) ? [found.get(stage)!] : []));
}

export const stageLogParamsSchema = z.strictObject({
  id: z.string().regex(RUN_ID_PATTERN, "That is not a run id."),
  stage: z.enum(LOG_STAGES, { message: `The stage must be one of ${LOG_STAGES.join(", ")}.` }),
  start: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

export interface StageLogBody {
  stage: LogStage;
  /** null while the pipeline has not started this stage's build (yet). */
  job: string | null;
  build: number | null;
  text: string;
  next: number;
  /** true while the stage build is still writing. */
  more: boolean;
}

type Jenkins = Pick<JenkinsAdapter, "url" | "readFullLog" | "readLog">;

/** GET /api/runs/[id]/stages/[stage]/log?start=N: one poll of a stage build's console. */
export async function stageLogResponse(deps: { db: Db; jenkins: Jenkins }, input: Record<string, unknown>): Promise<Response> {
  const parsed = stageLogParamsSchema.safeParse(input);
  if (!parsed.success) return badRequest(parsed.error.issues.map((i) => i.message).join(" "), "bad-request");
  const { id, stage, start } = parsed.data;
  const run = await deps.db.restoreRun.findUnique({ where: { id }, select: { jobName: true, buildNumber: true } });
  if (!run) return notFound("No such run.");
  const none: StageLogBody = { stage, job: null, build: null, text: "", next: 0, more: false };
  if (run.buildNumber === null) return json({ ...none, more: true });
  try {
    const pipeline = await deps.jenkins.readLog(run.jobName, run.buildNumber, 0);
    const found = stageBuildsFromConsole(pipeline.text).find((b) => b.stage === stage);
    // Not started yet: keep polling while the pipeline runs; after it, the stage was skipped.
    if (!found) return json({ ...none, more: pipeline.more });
    const chunk = await deps.jenkins.readLog(found.job, found.build, start);
    return json({ stage, job: found.job, build: found.build, text: chunk.text, next: chunk.nextOffset, more: chunk.more });
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    if (error.kind === "not-found") return notFound("That build is no longer in Jenkins.");
    return Response.json(
      { error: "jenkins", kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url }) },
      { status: 502 },
    );
  }
}

function json(body: StageLogBody): Response {
  return Response.json(body, { headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" } });
}
