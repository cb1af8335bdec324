import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { OPEN_STATUSES } from "./status";

export interface StopRunDeps {
  db: Db;
  jenkins: Pick<JenkinsAdapter, "url" | "stopBuild" | "getQueueState" | "cancelQueueItem">;
}

/**
 * Stops an open run: aborts its build (the pipeline's post-build steps still destroy the
 * sandbox and write the report) or cancels its queue item. The request is recorded first, so
 * that the ABORTED build is read as "aborted" by whoever closes the run.
 */
export async function stopRun(deps: StopRunDeps, user: SessionUser, runId: string): Promise<void> {
  const { db, jenkins } = deps;
  const run = await db.restoreRun.findUnique({ where: { id: runId } });
  if (!run) throw new DomainError("This run does not exist.", { code: "not-found" });
  const marked = await db.restoreRun.updateMany({
    where: { id: runId, status: { in: [...OPEN_STATUSES] } },
    data: { stopRequestedAt: new Date(), stopRequestedByEmail: user.email },
  });
  if (marked.count === 0) throw new DomainError("This run has already finished.", { code: "finished" });

  try {
    let buildNumber = run.buildNumber;
    if (buildNumber === null && run.queueId !== null) {
      const state = await jenkins.getQueueState(run.queueId);
      if (state.state === "left" && state.buildNumber !== undefined) buildNumber = state.buildNumber;
      else if (state.state !== "cancelled") await jenkins.cancelQueueItem(run.queueId);
    }
    if (buildNumber !== null) await jenkins.stopBuild(run.jobName, buildNumber);
  } catch (error) {
    await db.restoreRun.update({ where: { id: runId }, data: { stopRequestedAt: null, stopRequestedByEmail: null } });
    await recordAudit(db, {
      actor: user,
      action: "run.stop",
      target: runId,
      outcome: "failure",
      details: { kind: isJenkinsError(error) ? error.kind : "error" },
    });
    if (isJenkinsError(error))
      throw new DomainError(jenkinsFaultMessage(error, { jenkinsUrl: jenkins.url }), { code: "jenkins", audited: true });
    throw error;
  }
  await recordAudit(db, {
    actor: user,
    action: "run.stop",
    target: runId,
    outcome: "success",
    details: { job: run.jobName, buildNumber: run.buildNumber, queueId: run.queueId },
  });
}
