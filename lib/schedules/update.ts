import { assertImageAllowed } from "@/lib/sandbox-images/allow-list";
import { recordAudit } from "@/lib/audit/record";
import { shrinkFields } from "@/lib/validation/schedule";
import {
  assertNameFree,
  callbackOf,
  changeJobThenRow,
  checkKeys,
  compensate,
  domainFrom,
  duplicateNameOr,
  jenkinsFault,
  jobConfigOrNull,
  loadSchedule,
  mayHaveApplied,
  stampAfterWrite,
  type Actor,
  type ScheduleDeps,
  type Undo,
} from "./change";
import { clearIntents, recordIntent } from "./intent";
import { renderScheduleJobXml } from "./job-xml";
import { definitionOfRow, rowFields, splitInput, type ScheduleDefinition, type ScheduleInput } from "./schema";

/** Posts the new config of the schedule's job (re-creating a job gone missing), then updates the row; the old config is put back on failure. */
export async function updateSchedule(deps: ScheduleDeps, actor: Actor, scheduleId: string, input: ScheduleInput): Promise<void> {
  const { db, jenkins } = deps;
  const row = await loadSchedule(db, scheduleId);
  const { name, parameters, when } = splitInput(input);
  await assertNameFree(db, name, row.id);
  const allowedPathPrefixes = await checkKeys(deps, parameters);
  const imageAllowlist = await assertImageAllowed(db, parameters);

  const next: ScheduleDefinition = {
    id: row.id,
    name,
    jobName: row.jobName,
    enabled: row.enabled,
    parameters,
    when,
    allowedPathPrefixes,
    imageAllowlist,
  };
  const xml = renderScheduleJobXml(next, callbackOf(deps));
  const old = definitionOfRow(row);
  const timingChanged = JSON.stringify(old.when) !== JSON.stringify(when);

  await changeJobThenRow(deps, {
    scheduleId: row.id,
    job: row.jobName,
    write: async () => {
      // Keep what Jenkins holds now, to put it back if anything after the update fails.
      // Null: the job went missing behind our back, and the update re-creates it.
      const previous = await jobConfigOrNull(deps, row.jobName);
      const restore: Undo =
        previous === null
          ? { what: `removing the re-created job ${row.jobName}`, step: () => jenkins.deleteJob(row.jobName) }
          : { what: `restoring the previous config of ${row.jobName}`, step: () => jenkins.updateJobConfig(row.jobName, previous) };
      await recordIntent(db, "update", row.id, row.jobName);
      try {
        if (previous === null) await jenkins.createJob(row.jobName, xml);
        else await jenkins.updateJobConfig(row.jobName, xml);
      } catch (error) {
        // A write that timed out or failed inside Jenkins may have been applied: put the old config back.
        if (previous !== null && mayHaveApplied(error)) await compensate(restore, domainFrom(deps, error, row.jobName));
        jenkinsFault(deps, error, row.jobName);
      }
      return restore;
    },
    confirm: () => stampAfterWrite(deps, row.jobName, xml),
    record: async (stamp) => {
      const now = deps.now?.() ?? new Date();
      await db.$transaction(async (tx) => {
        await clearIntents(tx, row.id);
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
        await recordAudit(tx, {
          actor,
          action: "schedule.update",
          target: row.id,
          outcome: "success",
          details: { name, job: row.jobName, when, shrink: shrinkFields(input) },
        });
      });
    },
    recordError: (error) => duplicateNameOr(name, error),
  });
}
