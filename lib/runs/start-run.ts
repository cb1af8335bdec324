import { assertImageAllowed } from "@/lib/sandbox-images/allow-list";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { assertChosenCredentials, listCredentialChoices } from "@/lib/credentials/catalog";
import { assertPathAllowed, prefixesParameter } from "@/lib/credentials/key-paths";
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
  /** How many restores one person may have queued or running at once (lib/runs/config.ts). */
  maxOpenRunsPerUser?: number;
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

  await assertUnderOpenRunLimit(deps, user);
  let fault: { error: JenkinsError; during: "credentials" | "trigger" } | null = null;
  try {
    assertChosenCredentials(await listCredentialChoices(db, jenkins), params);
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    fault = { error, during: "credentials" };
  }
  // A file the SSH key may not read is refused before anything is recorded or sent.
  const allowedPrefixes = await assertPathAllowed(db, params);
  const imageAllowlist = await assertImageAllowed(db, params);

  const run = await recordWithinOpenRunLimit(deps, user, {
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
  });

  if (!fault) {
    try {
      const { queueId } = await jenkins.triggerBuild(
        jobName,
        toBuildParameters(params, {
          runId: run.id,
          callbackUrl: callbackUrlFor(deps.portalUrl),
          allowedPathPrefixes: prefixesParameter(allowedPrefixes),
          imageAllowlist,
        }),
      );
      await db.restoreRun.update({ where: { id: run.id }, data: { queueId } });
      await recordAudit(db, {
        actor,
        action: "run.start",
        target: run.id,
        outcome: "success",
        details: { job: jobName, queueId, backupHost: params.backupHost, backupPath: params.backupPath },
      });
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
  await recordAudit(db, {
    actor,
    action: "run.start",
    target: run.id,
    outcome: "failure",
    details: { job: jobName, kind: fault.error.kind, during: fault.during },
  });
  throw new DomainError(message, { code: "jenkins", audited: true });
}

async function failToStart(db: Db, runId: string, reasonCode: string, reason: string): Promise<void> {
  await db.restoreRun.update({ where: { id: runId }, data: { status: "failed-to-start", reasonCode, reason, finishedAt: new Date() } });
}

const OPEN = ["queued", "running"];
const LIMIT_ROUNDS = 6;

function limitError(already: number, limit: number): DomainError {
  return new DomainError(
    `You already have ${already} restore${already === 1 ? "" : "s"} queued or running; ${limit} at a time per person keeps the queue fair. Start this one when one of them has finished (or stop one).`,
    { code: "run-limit" },
  );
}

const openRunsOf = (db: Db, userId: string) =>
  db.restoreRun.count({ where: { startedById: userId, source: "portal", status: { in: OPEN } } });

/** Fairness: refuses a start while the person has their limit of restores queued or running. */
async function assertUnderOpenRunLimit(deps: StartRunDeps, user: SessionUser): Promise<void> {
  const limit = deps.maxOpenRunsPerUser;
  if (!limit) return;
  const open = await openRunsOf(deps.db, user.id);
  if (open >= limit) throw limitError(open, limit);
}

/**
 * Records the run, then counts again with it in (outside a transaction, so that parallel starts
 * see each other's rows): a run over the limit removes itself. That can refuse too many, never
 * admit too many; so a start that lost such a race while there is room tries again shortly.
 */
async function recordWithinOpenRunLimit(deps: StartRunDeps, user: SessionUser, data: Parameters<Db["restoreRun"]["create"]>[0]["data"]) {
  const limit = deps.maxOpenRunsPerUser;
  for (let round = 1; ; round++) {
    const run = await deps.db.restoreRun.create({ data });
    if (!limit || (await openRunsOf(deps.db, user.id)) <= limit) return run;
    await deps.db.restoreRun.delete({ where: { id: run.id } });
    const others = await openRunsOf(deps.db, user.id);
    if (others >= limit || round === LIMIT_ROUNDS) throw limitError(others, limit);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 100 * round));
  }
}
