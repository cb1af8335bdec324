import { randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { assertChosenCredentials, listCredentialChoices } from "@/lib/credentials/catalog";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { callbackUrlFor } from "@/lib/runs/config";
import { shrinkFields } from "@/lib/validation/schedule";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { jobNameFor, renderScheduleJobXml, slugOf } from "./job-xml";
import { jobIsInLine, jobStamp } from "./job-state";
import { definitionOfRow, rowFields, splitInput, type ScheduleDefinition, type ScheduleInput } from "./schema";

// Creating, modifying, pausing, resuming and deleting a schedule changes two systems: its row
// and its Jenkins job. Each operation takes the Jenkins step first, then the row, and on any
// later failure undoes what it did in Jenkins (delete the new job, post the old config back,
// flip enable/disable back, re-create the deleted job), so both change or neither does.

export type ScheduleJenkins = Pick<
  JenkinsAdapter,
  "url" | "listCredentials" | "createJob" | "getJobConfig" | "updateJobConfig" | "deleteJob" | "enableJob" | "disableJob" | "triggerBuild"
>;

export interface ScheduleDeps {
  db: Db;
  jenkins: ScheduleJenkins;
  /** The portal's URL as Jenkins reaches it: the schedule job passes <portalUrl>/api/runs/callback on. */
  portalUrl: string;
  now?: () => Date;
}

type Actor = Pick<SessionUser, "id" | "email">;

/** cuid-shaped id made before the row exists: the job's description names it. */
function newScheduleId(): string {
  let id = "c";
  for (const b of randomBytes(24)) id += (b % 36).toString(36);
  return id;
}

/** Turns a Jenkins fault into the plain sentence the form shows; anything else is rethrown. */
function jenkinsFault(deps: ScheduleDeps, error: unknown, job?: string): never {
  if (isJenkinsError(error)) {
    const message = error.kind === "conflict" && job ? `Jenkins refused to change ${job}: ${error.message}` : jenkinsFaultMessage(error, { jenkinsUrl: deps.jenkins.url, job });
    throw new DomainError(`${message} Nothing was changed.`, { code: "jenkins" });
  }
  throw error;
}

/** Runs a compensating Jenkins step; if that fails too, says exactly what is left behind. */
async function compensate(what: string, step: () => Promise<unknown>, original: unknown): Promise<never> {
  try {
    await step();
  } catch (undoError) {
    console.error(`[schedules] could not undo (${what}) after a failure`, undoError);
    throw new DomainError(
      `The change failed and undoing it in Jenkins failed too: ${what} did not happen. The schedule is shown as drifted; use Repair once Jenkins answers.`,
      { code: "jenkins" },
    );
  }
  throw original;
}

async function assertNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  const all = await db.schedule.findMany({ select: { id: true, name: true } });
  if (all.some((s) => s.id !== exceptId && s.name.toLowerCase() === name.toLowerCase()))
    throw new DomainError(`A schedule named "${name}" already exists. Choose another name.`, { field: "name", code: "duplicate" });
}

async function checkKeys(deps: ScheduleDeps, parameters: { sshCredentialId: string; gpgCredentialId: string }): Promise<void> {
  let choices;
  try {
    choices = await listCredentialChoices(deps.db, deps.jenkins);
  } catch (error) {
    jenkinsFault(deps, error);
  }
  assertChosenCredentials(choices, parameters);
}

/** A refused or unsent request changed nothing; a timeout or a 5xx may have changed something. */
function mayHaveApplied(error: unknown): boolean {
  return isJenkinsError(error) && (error.kind === "timeout" || error.kind === "bad-response");
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

export async function loadSchedule(db: Db, id: string) {
  const row = await db.schedule.findUnique({ where: { id } });
  if (!row) throw new DomainError("That schedule no longer exists.", { code: "not-found" });
  return row;
}

const callbackOf = (deps: ScheduleDeps) => callbackUrlFor(deps.portalUrl);

/** Writes the job for a schedule and returns the stamp of what Jenkins then serves. */
async function stampAfterWrite(deps: ScheduleDeps, jobName: string, xml: string): Promise<string> {
  return jobStamp(xml, await deps.jenkins.getJobConfig(jobName));
}

export async function createSchedule(deps: ScheduleDeps, actor: Actor, input: ScheduleInput): Promise<{ id: string; jobName: string }> {
  const { db, jenkins } = deps;
  const { name, parameters, when } = splitInput(input);
  await assertNameFree(db, name);
  await checkKeys(deps, parameters);

  const id = newScheduleId();
  const taken = new Set((await db.schedule.findMany({ select: { jobName: true } })).map((s) => s.jobName));
  const base = slugOf(name);
  const candidates = [base, ...[2, 3, 4, 5, 6].map((n) => `${base}-${n}`), id].map(jobNameFor).filter((j) => !taken.has(j));

  // Jenkins first: a job name that Jenkins already holds (not ours) moves on to the next candidate.
  let jobName: string | null = null;
  let xml = "";
  for (const candidate of candidates) {
    const definition: ScheduleDefinition = { id, name, jobName: candidate, enabled: true, parameters, when };
    xml = renderScheduleJobXml(definition, callbackOf(deps));
    try {
      await jenkins.createJob(candidate, xml);
      jobName = candidate;
      break;
    } catch (error) {
      if (isJenkinsError(error, "conflict")) continue;
      // A create that timed out may have happened all the same: make sure it did not.
      if (mayHaveApplied(error)) await jenkins.deleteJob(candidate).catch(() => undefined);
      jenkinsFault(deps, error, candidate);
    }
  }
  if (!jobName) throw new DomainError("Jenkins already holds jobs with every name this schedule could take; rename the schedule.", { field: "name", code: "jenkins" });
  const created = jobName;
  const undo = (error: unknown) => compensate(`removing the new job ${created}`, () => jenkins.deleteJob(created), error);

  let stamp: string;
  try {
    stamp = await stampAfterWrite(deps, jobName, xml);
  } catch (error) {
    await undo(isJenkinsError(error) ? domainFrom(deps, error, created) : error);
    throw error;
  }
  try {
    await db.$transaction(async (tx) => {
      await tx.schedule.create({
        data: {
          id,
          name,
          jobName: created,
          ownerId: actor.id,
          ownerEmail: actor.email,
          ...rowFields(parameters, when),
          // Portal-only (the shrink alarm): not part of the Jenkins job.
          ...shrinkFields(input),
          enabled: true,
          activeSince: deps.now?.() ?? new Date(),
          jobFingerprint: stamp,
          driftCheckedAt: deps.now?.() ?? new Date(),
          createdByEmail: actor.email,
          updatedByEmail: actor.email,
        },
      });
      await recordAudit(tx, { actor, action: "schedule.create", target: id, outcome: "success", details: { name, job: created, when, shrink: shrinkFields(input) } });
    });
  } catch (error) {
    await undo(isUniqueViolation(error) ? new DomainError(`A schedule named "${name}" already exists. Choose another name.`, { field: "name", code: "duplicate" }) : error);
  }
  return { id, jobName: created };
}

function domainFrom(deps: ScheduleDeps, error: unknown, job?: string): unknown {
  try {
    jenkinsFault(deps, error, job);
  } catch (converted) {
    return converted;
  }
  return error;
}

export async function updateSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string, input: ScheduleInput): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  const { name, parameters, when } = splitInput(input);
  await assertNameFree(db, name, row.id);
  await checkKeys(deps, parameters);

  const next: ScheduleDefinition = { id: row.id, name, jobName: row.jobName, enabled: row.enabled, parameters, when };
  const xml = renderScheduleJobXml(next, callbackOf(deps));

  // Keep what Jenkins holds now, to put it back if anything after the update fails.
  let previous: string | null;
  try {
    previous = await jenkins.getJobConfig(row.jobName);
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) jenkinsFault(deps, error, row.jobName);
    previous = null; // the job went missing behind our back: the update re-creates it
  }
  const restore =
    previous === null
      ? { what: `removing the re-created job ${row.jobName}`, step: () => jenkins.deleteJob(row.jobName) }
      : { what: `restoring the previous config of ${row.jobName}`, step: () => jenkins.updateJobConfig(row.jobName, previous) };

  try {
    if (previous === null) await jenkins.createJob(row.jobName, xml);
    else await jenkins.updateJobConfig(row.jobName, xml);
  } catch (error) {
    // A write that timed out or failed inside Jenkins may have been applied: put the old config back.
    if (previous !== null && mayHaveApplied(error)) await compensate(restore.what, restore.step, domainFrom(deps, error, row.jobName));
    jenkinsFault(deps, error, row.jobName);
  }
  let stamp: string;
  try {
    stamp = await stampAfterWrite(deps, row.jobName, xml);
  } catch (error) {
    return compensate(restore.what, restore.step, domainFrom(deps, error, row.jobName));
  }

  const old = definitionOfRow(row);
  const timingChanged = JSON.stringify(old.when) !== JSON.stringify(when);
  const now = deps.now?.() ?? new Date();
  try {
    await db.$transaction(async (tx) => {
      await tx.schedule.update({
        where: { id: row.id },
        data: {
          name,
          ...rowFields(parameters, when),
          ...shrinkFields(input),
          ...(timingChanged ? { activeSince: now, missedSince: null, missedDueAt: null } : {}),
          jobFingerprint: stamp,
          drift: null,
          driftCheckedAt: now,
          updatedByEmail: actor.email,
        },
      });
      await recordAudit(tx, { actor, action: "schedule.update", target: row.id, outcome: "success", details: { name, job: row.jobName, when, shrink: shrinkFields(input) } });
    });
  } catch (error) {
    await compensate(restore.what, restore.step, isUniqueViolation(error) ? new DomainError(`A schedule named "${name}" already exists. Choose another name.`, { field: "name", code: "duplicate" }) : error);
  }
}

/** Pause (enabled=false: the job is disabled, its timer stops) or resume. */
export async function setScheduleEnabled(deps: ScheduleDeps, actor: Actor, scheduleId: string, enabled: boolean): Promise<"changed" | "unchanged"> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  if (row.enabled === enabled) return "unchanged";
  const flip = enabled ? () => jenkins.enableJob(row.jobName) : () => jenkins.disableJob(row.jobName);
  const unflip = enabled ? () => jenkins.disableJob(row.jobName) : () => jenkins.enableJob(row.jobName);
  const what = `${enabled ? "disabling" : "re-enabling"} ${row.jobName} again`;
  try {
    await flip();
  } catch (error) {
    jenkinsFault(deps, error, row.jobName);
  }
  const xml = renderScheduleJobXml({ ...definitionOfRow(row), enabled }, callbackOf(deps));
  let stamp: string;
  try {
    stamp = await stampAfterWrite(deps, row.jobName, xml);
  } catch (error) {
    return compensate(what, unflip, domainFrom(deps, error, row.jobName));
  }
  const now = deps.now?.() ?? new Date();
  try {
    await db.$transaction(async (tx) => {
      await tx.schedule.update({
        where: { id: row.id },
        data: {
          enabled,
          jobFingerprint: stamp,
          drift: null,
          driftCheckedAt: now,
          missedSince: null,
          missedDueAt: null,
          ...(enabled ? { activeSince: now } : {}),
          updatedByEmail: actor.email,
        },
      });
      await recordAudit(tx, { actor, action: enabled ? "schedule.resume" : "schedule.pause", target: row.id, outcome: "success", details: { name: row.name, job: row.jobName } });
    });
  } catch (error) {
    await compensate(what, unflip, error);
  }
  return "changed";
}

/**
 * Deletes the job, then the row. Runs stay (RestoreRun.scheduleId becomes null; source stays
 * "schedule"); the audit event keeps the schedule's name and job for the record.
 */
export async function deleteSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  let previous: string | null;
  try {
    previous = await jenkins.getJobConfig(row.jobName);
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) jenkinsFault(deps, error, row.jobName);
    previous = null;
  }
  if (previous !== null) {
    try {
      await jenkins.deleteJob(row.jobName);
    } catch (error) {
      jenkinsFault(deps, error, row.jobName);
    }
  }
  try {
    await db.$transaction(async (tx) => {
      await tx.schedule.delete({ where: { id: row.id } });
      await recordAudit(tx, { actor, action: "schedule.delete", target: row.id, outcome: "success", details: { name: row.name, job: row.jobName } });
    });
  } catch (error) {
    if (previous === null) throw error;
    const config = previous;
    await compensate(`re-creating ${row.jobName}`, () => jenkins.createJob(row.jobName, config), error);
  }
}

/** "Run now": builds the schedule's job with its defaults, exactly as its timer would. */
export async function runScheduleNow(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<{ queueId: number }> {
  const row = await loadSchedule(deps.db, scheduleId);
  if (!row.enabled) throw new DomainError("This schedule is paused: resume it first, or start a one-off restore from Run a restore.", { code: "paused" });
  try {
    const { queueId } = await deps.jenkins.triggerBuild(row.jobName, {});
    await recordAudit(deps.db, { actor, action: "schedule.run-now", target: row.id, outcome: "success", details: { job: row.jobName, queueId } });
    return { queueId };
  } catch (error) {
    if (isJenkinsError(error, "conflict"))
      throw new DomainError(`Jenkins refused to start ${row.jobName}: the job is disabled in Jenkins. Use Repair to put it back in line.`, { code: "jenkins" });
    jenkinsFault(deps, error, row.jobName);
  }
}

export type Drift = "missing" | "changed" | null;

/** Compares the job Jenkins holds with what the portal renders for the schedule, and records it. */
export async function checkDrift(deps: Pick<ScheduleDeps, "db" | "jenkins" | "portalUrl" | "now">, scheduleId: string): Promise<Drift> {
  const row = await loadSchedule(deps.db, scheduleId);
  const xml = renderScheduleJobXml(definitionOfRow(row), callbackUrlFor(deps.portalUrl));
  let drift: Drift;
  try {
    drift = jobIsInLine(xml, await deps.jenkins.getJobConfig(row.jobName), row.jobFingerprint) ? null : "changed";
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) throw error;
    drift = "missing";
  }
  await deps.db.schedule.update({ where: { id: row.id }, data: { drift, driftCheckedAt: deps.now?.() ?? new Date() } });
  return drift;
}

/** One-click repair: puts the job back as the portal renders it (re-creating it if missing). */
export async function repairSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  const xml = renderScheduleJobXml(definitionOfRow(row), callbackOf(deps));
  let stamp: string;
  try {
    let exists = true;
    try {
      await jenkins.getJobConfig(row.jobName);
    } catch (error) {
      if (!isJenkinsError(error, "not-found")) throw error;
      exists = false;
    }
    if (exists) await jenkins.updateJobConfig(row.jobName, xml);
    else await jenkins.createJob(row.jobName, xml);
    stamp = await stampAfterWrite(deps, row.jobName, xml);
  } catch (error) {
    jenkinsFault(deps, error, row.jobName);
  }
  const now = deps.now?.() ?? new Date();
  await db.schedule.update({ where: { id: row.id }, data: { jobFingerprint: stamp, drift: null, driftCheckedAt: now } });
  await recordAudit(db, { actor, action: "schedule.repair", target: row.id, outcome: "success", details: { job: row.jobName, was: row.drift } });
}
