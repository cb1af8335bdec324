import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { operationInFlight } from "./intent";
import { SCHEDULE_JOB_PREFIX, scheduleIdOfJobXml } from "./job-xml";

// Jobs that carry the portal's marker (the description names a schedule id) but are no
// schedule's job: left by a create whose intent was lost with its database, by a Jenkins restored
// from an older backup, or copied in Jenkins. Their timers would keep running restores that belong
// to no schedule, so they are removed (not adopted: no one ever saw such a schedule confirmed, and
// its owner and recipients cannot be known). Jobs without the marker are never touched.

export type OrphanJenkins = Pick<JenkinsAdapter, "listJobNames" | "getJobConfig" | "deleteJob">;

export type JobOwnership = "ours" | "foreign" | "busy" | "orphan";

/** Who owns job `jobName` as far as the portal can tell from its marker, rows and intents. */
export async function ownershipOfJob(
  db: Db,
  jenkins: Pick<JenkinsAdapter, "getJobConfig">,
  jobName: string,
  now = new Date(),
): Promise<JobOwnership> {
  let config: string;
  try {
    config = await jenkins.getJobConfig(jobName);
  } catch (error) {
    if (isJenkinsError(error, "not-found")) return "foreign";
    throw error;
  }
  const scheduleId = scheduleIdOfJobXml(config);
  if (!scheduleId) return "foreign";
  const row = await db.schedule.findUnique({ where: { id: scheduleId }, select: { jobName: true } });
  if (row?.jobName === jobName) return "ours";
  return (await operationInFlight(db, scheduleId, now)) ? "busy" : "orphan";
}

/** Removes every marked job that is no schedule's job; returns their names. */
export async function removeOrphanJobs(deps: { db: Db; jenkins: OrphanJenkins; now?: () => Date }): Promise<string[]> {
  const owned = new Set((await deps.db.schedule.findMany({ select: { jobName: true } })).map((s) => s.jobName));
  const removed: string[] = [];
  for (const name of await deps.jenkins.listJobNames()) {
    if (!name.startsWith(SCHEDULE_JOB_PREFIX) || owned.has(name)) continue;
    if ((await ownershipOfJob(deps.db, deps.jenkins, name, deps.now?.())) !== "orphan") continue;
    try {
      await deps.jenkins.deleteJob(name);
    } catch (error) {
      if (!isJenkinsError(error, "not-found")) throw error;
    }
    await recordAudit(deps.db, {
      actor: null,
      action: "schedule.orphan-removed",
      target: name,
      outcome: "success",
      details: { job: name },
    });
    removed.push(name);
  }
  return removed;
}

/**
 * createJob, except that an orphan under that name (a marked job no schedule owns, e.g. left by a
 * create whose answer was lost) is removed first and the create made again, so creating the
 * schedule again takes its name instead of `…-2`. A foreign job's conflict is rethrown as it is.
 */
export async function createJobOverOrphan(
  db: Db,
  jenkins: Pick<JenkinsAdapter, "createJob" | "getJobConfig" | "deleteJob">,
  jobName: string,
  xml: string,
): Promise<void> {
  try {
    await jenkins.createJob(jobName, xml);
    return;
  } catch (error) {
    if (!isJenkinsError(error, "conflict")) throw error;
    let owner: JobOwnership;
    try {
      owner = await ownershipOfJob(db, jenkins, jobName);
      if (owner === "orphan") await jenkins.deleteJob(jobName);
    } catch (checkError) {
      // Not a JenkinsError on purpose: the caller must not take it for a create that may have happened.
      if (!isJenkinsError(checkError)) throw checkError;
      throw new DomainError(`${jobName} already exists in Jenkins and could not be checked (${checkError.message}). Nothing was changed.`, {
        code: "jenkins",
      });
    }
    if (owner === "busy")
      throw new DomainError(
        `A schedule for ${jobName} is being created or changed right now (or the portal stopped while doing so). Try again in a few minutes.`,
        { field: "name", code: "busy" },
      );
    if (owner !== "orphan") throw error;
  }
  await jenkins.createJob(jobName, xml);
}
