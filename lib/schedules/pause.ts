import { recordAudit } from "@/lib/audit/record";
import { callbackOf, changeJobThenRow, jenkinsFault, loadSchedule, stampAfterWrite, type Actor, type ScheduleDeps } from "./change";
import { clearIntents, recordIntent } from "./intent";
import { renderScheduleJobXml } from "./job-xml";
import { definitionForJob } from "./key-paths";

/** Pause (enabled=false: the job is disabled, its timer stops) or resume. */
export async function setScheduleEnabled(
  deps: ScheduleDeps,
  actor: Actor,
  scheduleId: string,
  enabled: boolean,
): Promise<"changed" | "unchanged"> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  const flip = enabled ? () => jenkins.enableJob(row.jobName) : () => jenkins.disableJob(row.jobName);
  if (row.enabled === enabled) {
    // Already so here (a second click, another tab): Jenkins must agree before the answer says so.
    await flip().catch((error: unknown) => jenkinsFault(deps, error, row.jobName));
    return "unchanged";
  }
  const unflip = enabled ? () => jenkins.disableJob(row.jobName) : () => jenkins.enableJob(row.jobName);
  const xml = renderScheduleJobXml({ ...(await definitionForJob(db, row)), enabled }, callbackOf(deps));
  await changeJobThenRow(deps, {
    scheduleId: row.id,
    job: row.jobName,
    write: async () => {
      await recordIntent(db, enabled ? "resume" : "pause", row.id, row.jobName);
      try {
        await flip();
      } catch (error) {
        jenkinsFault(deps, error, row.jobName);
      }
      return { what: `${enabled ? "disabling" : "re-enabling"} ${row.jobName} again`, step: unflip };
    },
    confirm: () => stampAfterWrite(deps, row.jobName, xml),
    record: async (stamp) => {
      const now = deps.now?.() ?? new Date();
      await db.$transaction(async (tx) => {
        await clearIntents(tx, row.id);
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
        await recordAudit(tx, {
          actor,
          action: enabled ? "schedule.resume" : "schedule.pause",
          target: row.id,
          outcome: "success",
          details: { name: row.name, job: row.jobName },
        });
      });
    },
  });
  return "changed";
}
