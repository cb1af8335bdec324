import { randomUUID } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { assertPathAllowed } from "@/lib/credentials/key-paths";
import { DomainError } from "@/lib/errors";
import { isJenkinsError } from "@/lib/jenkins";
import { jenkinsFault, loadSchedule, type Actor, type ScheduleDeps } from "./change";
import { RUN_NOW_CLICK_PARAMETER } from "./job-xml";
import { definitionOfRow } from "./schema";

/** A click's token (issue 19 item 3): the same token again — a double submit, a retried request — starts nothing new. */
export const clickTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "The click token must be 8–64 letters, digits, - or _.");

// Requests of one token still in flight in this process; once one is done its audit entry answers.
const inFlight = new Map<string, Promise<StartedClick>>();

export interface StartedClick {
  queueId: number;
  jobName: string;
}

/**
 * "Run now": builds the schedule's job with its defaults, exactly as its timer would. Nothing to undo: a build is not a change.
 * With a click token, a repeat of the same click returns the first one's queue item instead of queueing again.
 */
export async function runScheduleNow(deps: ScheduleDeps, actor: Actor, scheduleId: string, clickToken?: string): Promise<StartedClick> {
  if (clickToken === undefined) return trigger(deps, actor, scheduleId);
  const parsed = clickTokenSchema.safeParse(clickToken);
  if (!parsed.success) throw new DomainError(parsed.error.issues[0]!.message, { code: "invalid" });
  const token = parsed.data;
  const key = `${scheduleId}\n${token}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const run = (async () => {
    const earlier = await deps.db.auditEvent.findFirst({
      where: { action: "schedule.run-now", target: scheduleId, outcome: "success", details: { contains: `"clickToken":"${token}"` } },
      select: { details: true },
    });
    const { queueId, job } = earlier?.details ? (JSON.parse(earlier.details) as { queueId?: unknown; job?: unknown }) : {};
    if (typeof queueId === "number" && typeof job === "string") return { queueId, jobName: job };
    return trigger(deps, actor, scheduleId, token);
  })();
  inFlight.set(key, run);
  try {
    return await run;
  } finally {
    inFlight.delete(key);
  }
}

async function trigger(deps: ScheduleDeps, actor: Actor, scheduleId: string, clickToken?: string): Promise<StartedClick> {
  const row = await loadSchedule(deps.db, scheduleId);
  if (!row.enabled)
    throw new DomainError("This schedule is paused: resume it first, or start a one-off restore from Run a restore.", { code: "paused" });
  // The key's directories may have been narrowed since the schedule was saved.
  await assertPathAllowed(deps.db, definitionOfRow(row).parameters).catch((error: unknown) => {
    throw error instanceof DomainError ? new DomainError(error.message, { code: error.code }) : error;
  });
  try {
    // Every start carries a click token (a fresh one when the caller gave none), so Jenkins never merges it with a queued build.
    const { queueId } = await deps.jenkins.triggerBuild(row.jobName, { [RUN_NOW_CLICK_PARAMETER.name]: clickToken ?? randomUUID() });
    await recordAudit(deps.db, {
      actor,
      action: "schedule.run-now",
      target: row.id,
      outcome: "success",
      details: { job: row.jobName, queueId, ...(clickToken ? { clickToken } : {}) },
    });
    return { queueId, jobName: row.jobName };
  } catch (error) {
    if (isJenkinsError(error, "conflict"))
      throw new DomainError(`Jenkins refused to start ${row.jobName}: the job is disabled in Jenkins. Use Repair to put it back in line.`, {
        code: "jenkins",
      });
    jenkinsFault(deps, error, row.jobName);
  }
}

/**
 * The build number Jenkins gave a started click, waiting a few seconds for its queue item to leave the queue;
 * null while it still waits (the schedule's job runs one build at a time) or when Jenkins could not be asked.
 */
export async function buildNumberOfClick(deps: ScheduleDeps, started: StartedClick, timeoutMs = 4000): Promise<number | null> {
  try {
    const state = await deps.jenkins.waitForQueueItem(started.queueId, { timeoutMs, pollMs: 250 });
    return state.buildNumber ?? null;
  } catch {
    return null;
  }
}
