import type { Db } from "@/lib/db/client";
import { badRequest, notFound } from "@/lib/http/responses";
import { isJenkinsError, stripConsoleNotesStream, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { RUN_ID_PATTERN } from "./report";

/** GET /api/runs/[id]/log: the whole console, piped from Jenkins' consoleText (never held in memory). */
export async function runLogResponse(
  deps: { db: Db; jenkins: Pick<JenkinsAdapter, "url" | "openConsoleText"> },
  id: string,
): Promise<Response> {
  if (!RUN_ID_PATTERN.test(id)) return badRequest("That is not a run id.", "bad-request");
  const run = await deps.db.restoreRun.findUnique({ where: { id }, select: { id: true, jobName: true, buildNumber: true } });
  if (!run) return notFound("No such run.");
  if (run.buildNumber === null) return notFound("This run has no build in Jenkins, so there is no console log.", "no-build");
  try {
    const consoleText = await deps.jenkins.openConsoleText(run.jobName, run.buildNumber);
    const fileName = `restore-drill-${run.id}-${run.jobName.replace(/[^A-Za-z0-9._-]/g, "_")}-${run.buildNumber}.log`;
    return new Response(consoleText.body.pipeThrough(stripConsoleNotesStream()), {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    if (error.kind === "not-found") return notFound(`Build #${run.buildNumber} of ${run.jobName} is no longer in Jenkins.`);
    return Response.json(
      { error: "jenkins", kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url }) },
      { status: 502 },
    );
  }
}
