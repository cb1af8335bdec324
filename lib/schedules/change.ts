import { assertChosenCredentials, listCredentialChoices } from "@/lib/credentials/catalog";
import { assertPathAllowed, prefixesParameter } from "@/lib/credentials/key-paths";
import type { SessionUser } from "@/lib/auth/authenticate";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { callbackUrlFor } from "@/lib/runs/config";
import { releasingIntentsOnFailure } from "./intent";
import { jobStamp } from "./job-state";

// Creating, modifying, pausing, resuming and deleting a schedule changes two systems: its row
// and its Jenkins job. Every operation (create.ts, update.ts, pause.ts, delete.ts) goes through
// changeJobThenRow below: the Jenkins step first, then the row, and on any later failure the
// Jenkins step is undone (delete the new job, post the old config back, flip enable/disable
// back, re-create the deleted job), so both change or neither does.

export type ScheduleJenkins = Pick<
  JenkinsAdapter,
  | "url"
  | "listCredentials"
  | "listJobNames"
  | "createJob"
  | "getJobConfig"
  | "updateJobConfig"
  | "deleteJob"
  | "enableJob"
  | "disableJob"
  | "triggerBuild"
  | "waitForQueueItem"
>;

export interface ScheduleDeps {
  db: Db;
  jenkins: ScheduleJenkins;
  /** The portal's URL as Jenkins reaches it: the schedule job passes <portalUrl>/api/runs/callback on. */
  portalUrl: string;
  now?: () => Date;
}

export type Actor = Pick<SessionUser, "id" | "email">;

/** What undoes a Jenkins step, in words for the message when even the undo fails. */
export interface Undo {
  what: string;
  step: () => Promise<unknown>;
}

export interface JobThenRow<Stamp> {
  /** The schedule changed: its intent record (./intent.ts) is released if the change fails. */
  scheduleId: string;
  /** The job changed (known only after the write when a new job picks its name). */
  job: string | (() => string);
  /**
   * The Jenkins write; its own faults are thrown as they are. Returns its undo, or null when there
   * is nothing to undo. It records the operation's intent (recordIntent) just before it touches Jenkins.
   */
  write: () => Promise<Undo | null>;
  /** Reads back what Jenkins now serves (the job's stamp); a failure undoes the write. */
  confirm?: () => Promise<Stamp>;
  /** The row and its audit event, in one transaction that also clears the intent (clearIntents); a failure undoes the write. */
  record: (stamp: Stamp) => Promise<void>;
  /** A failed record as the user should see it (a duplicate name). */
  recordError?: (error: unknown) => unknown;
}

/**
 * The one shape of every schedule change, and its single place for bookkeeping around a change
 * (intent records): write in Jenkins, confirm, record the row; undo the write if either of the
 * later steps fails.
 */
export async function changeJobThenRow<Stamp>(deps: ScheduleDeps, change: JobThenRow<Stamp>): Promise<void> {
  // An intent left by a crash is settled by the reconciler (./reconcile-intents.ts); one left by a
  // failure that was handled here is released at once.
  await releasingIntentsOnFailure(deps.db, change.scheduleId, () => jobThenRow(deps, change));
}

async function jobThenRow<Stamp>(deps: ScheduleDeps, change: JobThenRow<Stamp>): Promise<void> {
  const undo = await change.write();
  let stamp = undefined as Stamp;
  if (change.confirm) {
    try {
      stamp = await change.confirm();
    } catch (error) {
      if (undo) await compensate(undo, domainFrom(deps, error, typeof change.job === "string" ? change.job : change.job()));
      throw error;
    }
  }
  try {
    await change.record(stamp);
  } catch (error) {
    const shown = change.recordError ? change.recordError(error) : error;
    if (undo) await compensate(undo, shown);
    throw error;
  }
}

/** Turns a Jenkins fault into the plain sentence the form shows; anything else is rethrown. */
export function jenkinsFault(deps: Pick<ScheduleDeps, "jenkins">, error: unknown, job?: string): never {
  if (isJenkinsError(error)) {
    const message =
      error.kind === "conflict" && job
        ? `Jenkins refused to change ${job}: ${error.message}`
        : jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url, job });
    throw new DomainError(`${message} Nothing was changed.`, { code: "jenkins" });
  }
  throw error;
}

/** The error jenkinsFault would throw, as a value. */
export function domainFrom(deps: Pick<ScheduleDeps, "jenkins">, error: unknown, job?: string): unknown {
  try {
    jenkinsFault(deps, error, job);
  } catch (converted) {
    return converted;
  }
  return error;
}

/** Runs a compensating Jenkins step; if that fails too, says exactly what is left behind. */
export async function compensate(undo: Undo, original: unknown): Promise<never> {
  try {
    await undo.step();
  } catch (undoError) {
    console.error(`[schedules] could not undo (${undo.what}) after a failure`, undoError);
    throw new DomainError(
      `The change failed and undoing it in Jenkins failed too: ${undo.what} did not happen. The schedule is shown as drifted; use Repair once Jenkins answers.`,
      { code: "jenkins" },
    );
  }
  throw original;
}

/** A refused or unsent request changed nothing; a timeout or a 5xx may have changed something. */
export function mayHaveApplied(error: unknown): boolean {
  return isJenkinsError(error) && (error.kind === "timeout" || error.kind === "bad-response");
}

const duplicateName = (name: string) =>
  new DomainError(`A schedule named "${name}" already exists. Choose another name.`, { field: "name", code: "duplicate" });

/** A failed row write as the form shows it: the unique name index says the name is taken. */
export function duplicateNameOr(name: string, error: unknown): unknown {
  return (error as { code?: string })?.code === "P2002" ? duplicateName(name) : error;
}

export async function assertNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  const all = await db.schedule.findMany({ select: { id: true, name: true } });
  if (all.some((s) => s.id !== exceptId && s.name.toLowerCase() === name.toLowerCase())) throw duplicateName(name);
}

/** Refuses keys Jenkins does not hold and a path the SSH key may not read; returns ALLOWED_PATH_PREFIXES for the job. */
export async function checkKeys(
  deps: ScheduleDeps,
  parameters: { sshCredentialId: string; gpgCredentialId: string; backupPath: string },
): Promise<string> {
  let choices;
  try {
    choices = await listCredentialChoices(deps.db, deps.jenkins);
  } catch (error) {
    jenkinsFault(deps, error);
  }
  assertChosenCredentials(choices, parameters);
  return prefixesParameter(await assertPathAllowed(deps.db, parameters));
}

export async function loadSchedule(db: Db, id: string) {
  const row = await db.schedule.findUnique({ where: { id } });
  if (!row) throw new DomainError("That schedule no longer exists.", { code: "not-found" });
  return row;
}

export const callbackOf = (deps: Pick<ScheduleDeps, "portalUrl">) => callbackUrlFor(deps.portalUrl);

/** The config Jenkins serves for the job, or null when the job is gone; other faults as sentences. */
export async function jobConfigOrNull(deps: Pick<ScheduleDeps, "jenkins">, jobName: string): Promise<string | null> {
  try {
    return await deps.jenkins.getJobConfig(jobName);
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) jenkinsFault(deps, error, jobName);
    return null;
  }
}

/** The stamp of what Jenkins serves for a job just written with `xml`. */
export async function stampAfterWrite(deps: ScheduleDeps, jobName: string, xml: string): Promise<string> {
  return jobStamp(xml, await deps.jenkins.getJobConfig(jobName));
}
