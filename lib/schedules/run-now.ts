import { recordAudit } from "@/lib/audit/record";
import { assertPathAllowed } from "@/lib/credentials/key-paths";
import { DomainError } from "@/lib/errors";
import { isJenkinsError } from "@/lib/jenkins";
import { jenkinsFault, loadSchedule, type Actor, type ScheduleDeps } from "./change";
import { definitionOfRow } from "./schema";

/** "Run now": builds the schedule's job with its defaults, exactly as its timer would. Nothing to undo: a build is not a change. */
export async function runScheduleNow(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<{ queueId: number }> {
  const row = await loadSchedule(deps.db, scheduleId);
  if (!row.enabled)
    throw new DomainError("This schedule is paused: resume it first, or start a one-off restore from Run a restore.", { code: "paused" });
  // The key's directories may have been narrowed since the schedule was saved.
  await assertPathAllowed(deps.db, definitionOfRow(row).parameters).catch((error: unknown) => {
    throw error instanceof DomainError ? new DomainError(error.message, { code: error.code }) : error;
  });
  try {
    const { queueId } = await deps.jenkins.triggerBuild(row.jobName, {});
    await recordAudit(deps.db, {
      actor,
      action: "schedule.run-now",
      target: row.id,
      outcome: "success",
      details: { job: row.jobName, queueId },
    });
    return { queueId };
  } catch (error) {
    if (isJenkinsError(error, "conflict"))
      throw new DomainError(`Jenkins refused to start ${row.jobName}: the job is disabled in Jenkins. Use Repair to put it back in line.`, {
        code: "jenkins",
      });
    jenkinsFault(deps, error, row.jobName);
  }
}
