import { assertImageAllowed } from "@/lib/sandbox-images/allow-list";
import { randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import { DomainError } from "@/lib/errors";
import { isJenkinsError } from "@/lib/jenkins";
import { shrinkFields } from "@/lib/validation/schedule";
import {
  assertNameFree,
  callbackOf,
  changeJobThenRow,
  checkKeys,
  duplicateNameOr,
  jenkinsFault,
  mayHaveApplied,
  stampAfterWrite,
  type Actor,
  type ScheduleDeps,
} from "./change";
import { clearIntents, recordIntent } from "./intent";
import { jobNameFor, renderScheduleJobXml, slugOf } from "./job-xml";
import { createJobOverOrphan } from "./orphan-jobs";
import { rowFields, splitInput, type ScheduleDefinition, type ScheduleInput } from "./schema";

/** cuid-shaped id made before the row exists: the job's description names it. */
function newScheduleId(): string {
  let id = "c";
  for (const b of randomBytes(24)) id += (b % 36).toString(36);
  return id;
}

/** Creates the schedule's job in Jenkins, then its row; the new job is deleted again if the row cannot be written. */
export async function createSchedule(deps: ScheduleDeps, actor: Actor, input: ScheduleInput): Promise<{ id: string; jobName: string }> {
  const { db, jenkins } = deps;
  const { name, parameters, when } = splitInput(input);
  await assertNameFree(db, name);
  const allowedPathPrefixes = await checkKeys(deps, parameters);
  const imageAllowlist = await assertImageAllowed(db, parameters);

  const id = newScheduleId();
  const taken = new Set((await db.schedule.findMany({ select: { jobName: true } })).map((s) => s.jobName));
  const base = slugOf(name);
  const candidates = [base, ...[2, 3, 4, 5, 6].map((n) => `${base}-${n}`), id].map(jobNameFor).filter((j) => !taken.has(j));

  let jobName = "";
  let xml = "";
  await changeJobThenRow(deps, {
    scheduleId: id,
    job: () => jobName,
    // Jenkins first: a job name that Jenkins already holds (not ours) moves on to the next candidate.
    write: async () => {
      for (const candidate of candidates) {
        const definition: ScheduleDefinition = {
          id,
          name,
          jobName: candidate,
          enabled: true,
          parameters,
          when,
          allowedPathPrefixes,
          imageAllowlist,
        };
        xml = renderScheduleJobXml(definition, callbackOf(deps));
        try {
          await recordIntent(db, "create", id, candidate);
          await createJobOverOrphan(db, jenkins, candidate, xml);
          jobName = candidate;
          return { what: `removing the new job ${candidate}`, step: () => jenkins.deleteJob(candidate) };
        } catch (error) {
          if (isJenkinsError(error, "conflict")) continue;
          // A create that timed out may have happened all the same: make sure it did not.
          if (mayHaveApplied(error)) await jenkins.deleteJob(candidate).catch(() => undefined);
          jenkinsFault(deps, error, candidate);
        }
      }
      throw new DomainError("Jenkins already holds jobs with every name this schedule could take; rename the schedule.", {
        field: "name",
        code: "jenkins",
      });
    },
    confirm: () => stampAfterWrite(deps, jobName, xml),
    record: (stamp) =>
      db.$transaction(async (tx) => {
        await clearIntents(tx, id);
        await tx.schedule.create({
          data: {
            id,
            name,
            jobName,
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
        await recordAudit(tx, {
          actor,
          action: "schedule.create",
          target: id,
          outcome: "success",
          details: { name, job: jobName, when, shrink: shrinkFields(input) },
        });
      }),
    recordError: (error) => duplicateNameOr(name, error),
  });
  return { id, jobName };
}
