import { recordAudit } from "@/lib/audit/record";
import { isJenkinsError, JenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { CANNOT_READ_JOBS } from "@/lib/jenkins/permissions";
import { callbackUrlFor } from "@/lib/runs/config";
import { callbackOf, jenkinsFault, jobConfigOrNull, loadSchedule, stampAfterWrite, type Actor, type ScheduleDeps } from "./change";
import { jobIsInLine } from "./job-state";
import { renderScheduleJobXml } from "./job-xml";
import { definitionForJob } from "./key-paths";

// Drift: the job Jenkins holds is not what the portal renders for the schedule (edited or
// deleted in Jenkins). Found here, shown on the schedule's page, repaired in one click.

export type Drift = "missing" | "changed" | null;

export type DriftJenkins = Pick<JenkinsAdapter, "getJobConfig" | "listJobNames">;

/**
 * Compares the job Jenkins holds with what the portal renders for the schedule, and records it.
 * A 404 while Jenkins lists no job at all (the provisioned pipeline jobs are always there) is the
 * portal's user lacking Job/Read, not a missing job: that is thrown as such and nothing is recorded.
 */
export async function checkDrift(
  deps: Pick<ScheduleDeps, "db" | "portalUrl" | "now"> & { jenkins: DriftJenkins },
  scheduleId: string,
): Promise<Drift> {
  const row = await loadSchedule(deps.db, scheduleId);
  const xml = renderScheduleJobXml(await definitionForJob(deps.db, row), callbackUrlFor(deps.portalUrl));
  let drift: Drift;
  try {
    drift = jobIsInLine(xml, await deps.jenkins.getJobConfig(row.jobName), row.jobFingerprint) ? null : "changed";
  } catch (error) {
    if (!isJenkinsError(error, "not-found")) throw error;
    if ((await deps.jenkins.listJobNames()).length === 0) throw new JenkinsError("forbidden", error.operation, CANNOT_READ_JOBS, 404);
    drift = "missing";
  }
  await deps.db.schedule.update({ where: { id: row.id }, data: { drift, driftCheckedAt: deps.now?.() ?? new Date() } });
  return drift;
}

/** One-click repair: puts the job back as the portal renders it (re-creating it if missing). */
export async function repairSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  const xml = renderScheduleJobXml(await definitionForJob(db, row), callbackOf(deps));
  const exists = (await jobConfigOrNull(deps, row.jobName)) !== null;
  let stamp: string;
  try {
    if (exists) await jenkins.updateJobConfig(row.jobName, xml);
    else await jenkins.createJob(row.jobName, xml);
    stamp = await stampAfterWrite(deps, row.jobName, xml);
  } catch (error) {
    jenkinsFault(deps, error, row.jobName);
  }
  const now = deps.now?.() ?? new Date();
  await db.schedule.update({ where: { id: row.id }, data: { jobFingerprint: stamp, drift: null, driftCheckedAt: now } });
  await recordAudit(db, {
    actor,
    action: "schedule.repair",
    target: row.id,
    outcome: "success",
    details: { job: row.jobName, was: row.drift },
  });
}
