import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { VERDICTS } from "@/lib/runs/status";
import { nextRuns } from "./cron";
import type { Mailer } from "@/lib/shared/mail";
import { whenOfRow } from "./schema";

// A missed run: the schedule was due, the grace period has passed, and no run of it has a
// verdict since it was due (Jenkins down, the job disabled behind our back, no agent). The
// portal cannot rely on Jenkins to say so, so it flags the schedule (missedSince) and mails
// its recipients itself — once per missed due time (missedDueAt).

/** SCHEDULE_GRACE_MINUTES (default 15). */
export function graceMinutes(env: Record<string, string | undefined> = process.env): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .safeParse(env.SCHEDULE_GRACE_MINUTES?.trim() || 15);
  return parsed.success ? parsed.data : 15;
}

/** The latest due time in [since, before], or null. */
export function lastDueBetween(when: Parameters<typeof nextRuns>[0], since: Date, before: Date): Date | null {
  // 32 days back covers one monthly due; 70 covers every daily due in that window, DST doubles included.
  const from = new Date(Math.max(since.getTime() - 1, before.getTime() - 32 * 86_400_000));
  const dues = nextRuns(when, from, 70).filter((t) => t.getTime() <= before.getTime());
  return dues.at(-1) ?? null;
}

export interface MissedDeps {
  db: Db;
  mailer: Mailer | null;
  graceMinutes: number;
  portalUrl: string;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface MissedSummary {
  flagged: string[];
  cleared: string[];
  mailed: string[];
}

export async function checkMissedRuns(deps: MissedDeps): Promise<MissedSummary> {
  const now = deps.now?.() ?? new Date();
  const summary: MissedSummary = { flagged: [], cleared: [], mailed: [] };
  const schedules = await deps.db.schedule.findMany({ where: { enabled: true } });
  for (const s of schedules) {
    const due = lastDueBetween(whenOfRow(s), s.activeSince, new Date(now.getTime() - deps.graceMinutes * 60_000));
    if (!due) continue;
    // A run counts from a minute before its due time (the timer fires at the start of the minute).
    const since = new Date(due.getTime() - 60_000);
    const verdict = await deps.db.restoreRun.findFirst({
      where: { scheduleId: s.id, status: { in: [...VERDICTS] }, OR: [{ startedAt: { gte: since } }, { createdAt: { gte: since } }] },
      select: { id: true },
    });
    if (verdict) {
      if (s.missedSince) {
        await deps.db.schedule.update({ where: { id: s.id }, data: { missedSince: null, missedDueAt: null } });
        summary.cleared.push(s.id);
      }
      continue;
    }
    if (s.missedDueAt && s.missedDueAt.getTime() === due.getTime()) continue;
    // Conditional, so that two portal processes flag (and mail) a miss once.
    const claimed = await deps.db.schedule.updateMany({
      where: { id: s.id, OR: [{ missedDueAt: null }, { missedDueAt: { not: due } }] },
      data: { missedSince: s.missedSince ?? now, missedDueAt: due },
    });
    if (claimed.count === 0) continue;
    summary.flagged.push(s.id);
    await recordAudit(deps.db, {
      actor: null,
      action: "schedule.missed",
      target: s.id,
      outcome: "failure",
      details: { name: s.name, due: due.toISOString() },
    });
    const recipients = s.notifyEmails.split(",").filter(Boolean);
    if (!deps.mailer || recipients.length === 0) continue;
    try {
      await deps.mailer.send({ to: recipients, ...missedRunMail(s, due, deps.graceMinutes, deps.portalUrl) });
      summary.mailed.push(s.id);
    } catch (error) {
      // Give the claim back, so the next round tries the mail again.
      await deps.db.schedule.update({ where: { id: s.id }, data: { missedDueAt: s.missedDueAt, missedSince: s.missedSince } });
      deps.log?.(`missed-run mail for ${s.name} failed: ${(error as Error).message}`);
    }
  }
  return summary;
}

export function missedRunMail(
  s: { id: string; name: string; jobName: string; timeZone: string },
  due: Date,
  grace: number,
  portalUrl: string,
): { subject: string; text: string } {
  const local = new Intl.DateTimeFormat("en-GB", { timeZone: s.timeZone, dateStyle: "medium", timeStyle: "short" }).format(due);
  const page = new URL(`schedules/${s.id}`, portalUrl.endsWith("/") ? portalUrl : `${portalUrl}/`).toString();
  return {
    subject: `Restore Drill: scheduled restore "${s.name}" did not run`,
    text: [
      `The scheduled restore test "${s.name}" was due at ${local} (${s.timeZone}),`,
      `and ${grace} minutes later no run of it has produced a verdict.`,
      "",
      "Reason: Jenkins did not run it or did not finish it — it may be down, the job",
      `${s.jobName} may have been disabled or removed in Jenkins, or no agent was free.`,
      "",
      `Schedule: ${page}`,
      "",
      "You get this mail once per missed run.",
    ].join("\n"),
  };
}
