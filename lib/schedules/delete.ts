import { recordAudit } from "@/lib/audit/record";
import { changeJobThenRow, jenkinsFault, jobConfigOrNull, loadSchedule, type Actor, type ScheduleDeps } from "./change";
import { clearIntents, recordIntent } from "./intent";

/**
 * Deletes the job, then the row; the job is re-created from its last config if the row cannot be
 * deleted. Runs stay (RestoreRun.scheduleId becomes null; source stays "schedule"); the audit
 * event keeps the schedule's name and job for the record.
 */
export async function deleteSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  await changeJobThenRow<void>(deps, {
    scheduleId: row.id,
    job: row.jobName,
    write: async () => {
      const previous = await jobConfigOrNull(deps, row.jobName);
      await recordIntent(db, "delete", row.id, row.jobName);
      if (previous === null) return null; // already gone from Jenkins: only the row is left to delete
      try {
        await jenkins.deleteJob(row.jobName);
      } catch (error) {
        jenkinsFault(deps, error, row.jobName);
      }
      const config = previous;
      return { what: `re-creating ${row.jobName}`, step: () => jenkins.createJob(row.jobName, config) };
    },
    record: () =>
      db.$transaction(async (tx) => {
        await clearIntents(tx, row.id);
        await tx.schedule.delete({ where: { id: row.id } });
        await recordAudit(tx, {
          actor,
          action: "schedule.delete",
          target: row.id,
          outcome: "success",
          details: { name: row.name, job: row.jobName },
        });
      }),
  });
}
