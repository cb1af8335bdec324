import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { assertChosenCredentials, listCredentialChoices } from "@/lib/credentials/catalog";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter, type JenkinsError } from "@/lib/jenkins";
import { pipelineJobFor, toBuildParameters, type RunParameters } from "@/lib/validation/run";
import { callbackUrlFor } from "./config";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { pendingStages } from "./stages";

export interface StartRunDeps {
  db: Db;
  jenkins: Pick<JenkinsAdapter, "url" | "listCredentials" | "triggerBuild">;
  /** The portal's URL as Jenkins reaches it; the callback goes to <portalUrl>/api/runs/callback. */
  portalUrl: string;
}

/**
 * Starts a restore: checks the chosen keys against Jenkins, records the run (queued), triggers
 * the pipeline with the run id and callback URL, keeps the queue id. A Jenkins fault ends the
 * run "failed-to-start" with the reason — never left queued — and is rethrown as a DomainError
 * whose message the form shows.
 */
export async function startRun(deps: StartRunDeps, user: SessionUser, params: RunParameters): Promise<{ runId: string }> {
  const { db, jenkins } = deps;
  const jobName = pipelineJobFor(params);
  const actor = { id: user.id, email: user.email };

  let fault: { error: JenkinsError; during: "credentials" | "trigger" } | null = null;
  try {
    assertChosenCredentials(await listCredentialChoices(db, jenkins), params);
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    fault = { error, during: "credentials" };
  }

  const run = await db.restoreRun.create({
    data: {
      source: "portal",
      startedById: user.id,
      startedByEmail: user.email,
      parameters: JSON.stringify(params),
      backupHost: params.backupHost,
      backupPath: params.backupPath,
      dbType: params.dbType,
      jobName,
      status: "queued",
      stages: JSON.stringify(pendingStages()),
    },
  });

  if (!fault) {
    try {
      const { queueId } = await jenkins.triggerBuild(jobName, toBuildParameters(params, { runId: run.id, callbackUrl: callbackUrlFor(deps.portalUrl) }));
      await db.restoreRun.update({ where: { id: run.id }, data: { queueId } });
      await recordAudit(db, { actor, action: "run.start", target: run.id, outcome: "success", details: { job: jobName, queueId, backupHost: params.backupHost, backupPath: params.backupPath } });
      return { runId: run.id };
    } catch (error) {
      if (!isJenkinsError(error)) {
        await failToStart(db, run.id, "TRIGGER_FAILED", "The portal failed while triggering the build; see the server log.");
        throw error;
      }
      fault = { error, during: "trigger" };
    }
  }

  const message = jenkinsFaultMessage(fault.error, { jenkinsUrl: jenkins.url, job: fault.during === "trigger" ? jobName : undefined });
  await failToStart(db, run.id, `JENKINS_${fault.error.kind.toUpperCase().replace(/-/g, "_")}`, message);
  await recordAudit(db, { actor, action: "run.start", target: run.id, outcome: "failure", details: { job: jobName, kind: fault.error.kind, during: fault.during } });
  throw new DomainError(message, { code: "jenkins", audited: true });
}

async function failToStart(db: Db, runId: string, reasonCode: string, reason: string): Promise<void> {
  await db.restoreRun.update({ where: { id: runId }, data: { status: "failed-to-start", reasonCode, reason, finishedAt: new Date() } });
}
