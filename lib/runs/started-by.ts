import type { Db } from "@/lib/db/client";
import type { BuildStatus } from "@/lib/jenkins";

// Who started a run, recorded once (RestoreRun.startedByEmail, when the row is made) and shown
// by this one label on Results, the run page and the dashboard.
//
// A schedule's "Run now" is a build of the schedule's job, so the pipeline build the reconciler
// picks up has the same upstream cause as a timer build. What tells them apart is the schedule
// job's queue item: runScheduleNow audits "schedule.run-now" with the queue id Jenkins gave it,
// and the upstream build carries that queue id. A match credits the person (or their API token).

const RUN_NOW_AUDITS_LOOKED_AT = 50;

/** The person who pressed Run now for this upstream schedule build, or null for its timer. */
export async function runNowStarter(
  db: Db,
  jenkins: { getBuild(name: string, number: number): Promise<BuildStatus> },
  scheduleId: string,
  upstream: { upstreamJob: string; upstreamBuild: number },
): Promise<string | null> {
  let queueId: number | null;
  try {
    queueId = (await jenkins.getBuild(upstream.upstreamJob, upstream.upstreamBuild)).queueId;
  } catch {
    return null; // the upstream build is gone (rotated): it cannot be told from a timer build
  }
  if (queueId === null) return null;
  const audits = await db.auditEvent.findMany({
    where: { action: "schedule.run-now", target: scheduleId, outcome: "success" },
    orderBy: { at: "desc" },
    take: RUN_NOW_AUDITS_LOOKED_AT,
    select: { actorEmail: true, apiTokenId: true, details: true },
  });
  const click = audits.find((a) => {
    try {
      return (JSON.parse(a.details ?? "{}") as { queueId?: unknown }).queueId === queueId;
    } catch {
      return false;
    }
  });
  if (!click?.actorEmail) return null;
  return click.apiTokenId ? `${click.actorEmail} (API token)` : click.actorEmail;
}
