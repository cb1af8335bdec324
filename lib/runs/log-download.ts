import type { Db } from "@/lib/db/client";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { RUN_ID_PATTERN } from "./report";
import { badRequest } from "./sse";

/** GET /api/runs/[id]/log: the whole console, piped from Jenkins' consoleText (never held in memory). */
export async function runLogResponse(deps: { db: Db; jenkins: Pick<JenkinsAdapter, "url" | "openConsoleText"> }, id: string): Promise<Response> {
  if (!RUN_ID_PATTERN.test(id)) return badRequest("That is not a run id.");
  const run = await deps.db.restoreRun.findUnique({ where: { id }, select: { id: true, jobName: true, buildNumber: true } });
  if (!run) return Response.json({ error: "not-found", message: "No such run." }, { status: 404 });
  if (run.buildNumber === null) return Response.json({ error: "no-build", message: "This run has no build in Jenkins, so there is no console log." }, { status: 404 });
  try {
    const consoleText = await deps.jenkins.openConsoleText(run.jobName, run.buildNumber);
    const fileName = `restore-drill-${run.id}-${run.jobName.replace(/[^A-Za-z0-9._-]/g, "_")}-${run.buildNumber}.log`;
    return new Response(consoleText.body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    if (error.kind === "not-found") return Response.json({ error: "not-found", message: `Build #${run.buildNumber} of ${run.jobName} is no longer in Jenkins.` }, { status: 404 });
    return Response.json({ error: "jenkins", kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url }) }, { status: 502 });
  }
}
