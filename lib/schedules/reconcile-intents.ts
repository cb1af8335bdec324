import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { isJenkinsError, type JenkinsAdapter } from "@/lib/jenkins";
import { callbackUrlFor } from "@/lib/runs/config";
import { operationInFlight } from "./intent";
import { jobIsInLine, jobStamp } from "./job-state";
import { renderScheduleJobXml, scheduleIdOfJobXml } from "./job-xml";
import { definitionForJob } from "./key-paths";

// The reconciler's half of both-or-neither (see intent.ts): intents whose lease ran out belong to
// operations that will not finish on their own. The schedule's row decides: without a row (a
// create that never committed, a delete that did) the schedule's job goes; with one (an update,
// pause, resume or delete that never committed, a create that did) the job is put back to the
// row's render. Jenkins faults end the round; the intents stay for the next one.

export type IntentJenkins = Pick<JenkinsAdapter, "getJobConfig" | "createJob" | "updateJobConfig" | "deleteJob">;

export interface IntentReconcileDeps {
  db: Db;
  jenkins: IntentJenkins;
  /** The portal's URL as Jenkins reaches it (the render carries the callback URL). */
  portalUrl: string;
  now?: () => Date;
}

export type JobAction = "removed" | "created" | "updated" | "none";

async function servedConfig(jenkins: IntentJenkins, jobName: string): Promise<string | null> {
  try {
    return await jenkins.getJobConfig(jobName);
  } catch (error) {
    if (isJenkinsError(error, "not-found")) return null;
    throw error;
  }
}

/** Makes job `jobName` what schedule `scheduleId`'s row says it is (no row: not there). */
export async function bringJobInLine(deps: IntentReconcileDeps, scheduleId: string, jobName: string): Promise<JobAction> {
  const { db, jenkins } = deps;
  const row = await db.schedule.findUnique({ where: { id: scheduleId } });
  const served = await servedConfig(jenkins, jobName);
  if (!row || row.jobName !== jobName) {
    // Only a job that names this schedule is ours to remove; a name Jenkins gave someone else stays.
    if (served === null || scheduleIdOfJobXml(served) !== scheduleId) return "none";
    await jenkins.deleteJob(jobName).catch((error: unknown) => {
      if (!isJenkinsError(error, "not-found")) throw error;
    });
    return "removed";
  }
  const xml = renderScheduleJobXml(await definitionForJob(deps.db, row), callbackUrlFor(deps.portalUrl));
  let action: JobAction;
  if (served === null) {
    await jenkins.createJob(jobName, xml);
    action = "created";
  } else if (!jobIsInLine(xml, served, row.jobFingerprint)) {
    await jenkins.updateJobConfig(jobName, xml);
    action = "updated";
  } else {
    return "none";
  }
  const stamp = jobStamp(xml, await jenkins.getJobConfig(jobName));
  await db.schedule.update({
    where: { id: row.id },
    data: { jobFingerprint: stamp, drift: null, driftCheckedAt: deps.now?.() ?? new Date() },
  });
  return action;
}

/** Settles every intent whose lease ran out; returns how many schedules it looked at. */
export async function reconcileIntents(deps: IntentReconcileDeps): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.scheduleIntent.findMany({ where: { leaseUntil: { lte: now } }, orderBy: { createdAt: "asc" } });
  const groups = new Map<string, typeof due>();
  for (const intent of due) {
    const key = `${intent.scheduleId}\u0000${intent.jobName}`;
    groups.set(key, [...(groups.get(key) ?? []), intent]);
  }
  let settled = 0;
  for (const intents of groups.values()) {
    const { scheduleId, jobName } = intents[0]!;
    // A newer operation on the same schedule is running: it owns the job until its lease runs out.
    if (await operationInFlight(deps.db, scheduleId, now)) continue;
    const action = await bringJobInLine(deps, scheduleId, jobName);
    await deps.db.$transaction(async (tx) => {
      await tx.scheduleIntent.deleteMany({ where: { id: { in: intents.map((i) => i.id) } } });
      if (action !== "none")
        await recordAudit(tx, {
          actor: null,
          action: "schedule.reconcile",
          target: scheduleId,
          outcome: "success",
          details: { job: jobName, operations: intents.map((i) => i.operation), action },
        });
    });
    settled++;
  }
  return settled;
}
