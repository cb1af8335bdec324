import { recordAudit } from "@/lib/audit/record";
import { runParametersSchema } from "@/lib/pipeline/schemas";
import { callbackOf, stampAfterWrite, type Actor, type ScheduleDeps } from "./change";
import { renderScheduleJobXml } from "./job-xml";
import { definitionForJob } from "./key-paths";

// A manager changed the directories an SSH key may read: every schedule job using the key is
// rendered again with the new ALLOWED_PATH_PREFIXES, so its timer builds are checked against them.
// Only the job changes (the row holds no copy of the directories). A job Jenkins would not take
// keeps the old list; its schedule then shows as drifted and one Repair renders it anew.

export interface KeyPathsPush {
  updated: string[];
  failed: string[];
}

/** Re-renders the jobs of every schedule whose SSH key is `credentialId`. */
export async function pushKeyPathsToSchedules(deps: ScheduleDeps, actor: Actor, credentialId: string): Promise<KeyPathsPush> {
  const rows = await deps.db.schedule.findMany({ orderBy: { jobName: "asc" } });
  const usingKey = rows.filter((row) => runParametersSchema.safeParse(JSON.parse(row.parameters)).data?.sshCredentialId === credentialId);
  const result: KeyPathsPush = { updated: [], failed: [] };
  for (const row of usingKey) {
    const xml = renderScheduleJobXml(await definitionForJob(deps.db, row), callbackOf(deps));
    try {
      await deps.jenkins.updateJobConfig(row.jobName, xml);
      const stamp = await stampAfterWrite(deps, row.jobName, xml);
      await deps.db.schedule.update({ where: { id: row.id }, data: { jobFingerprint: stamp, drift: null } });
      result.updated.push(row.name);
    } catch (error) {
      console.error(`[schedules] could not give ${row.jobName} the key's new directories`, error);
      await deps.db.schedule.update({ where: { id: row.id }, data: { drift: "changed" } });
      result.failed.push(row.name);
    }
  }
  if (usingKey.length > 0)
    await recordAudit(deps.db, {
      actor,
      action: "credential.paths.push",
      target: credentialId,
      outcome: result.failed.length ? "failure" : "success",
      details: { updated: result.updated, failed: result.failed },
    });
  return result;
}
