import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { mailSettings, smtpMailer, type Mail, type Mailer } from "@/lib/shared/mail";
import { describeDrop, formatPct, type ShrinkAlarm } from "./alarm";
import { portalUrl } from "./config";
import type { AlarmSchedule } from "./shrink";

// Telling a schedule's recipients that its backup shrank. Runs after the run is closed: a mail
// that cannot be sent never undoes the verdict; the outcome is in the audit trail
// ("run.shrink-alarm", success or failure) either way.

export interface AlarmMailDeps {
  /** null: no SMTP configured — the alarm is shown in the portal only. */
  mailer: Mailer | null;
  portalUrl: string;
}

/** SMTP_URL / MAIL_FROM / PORTAL_URL from the environment; a misconfiguration is logged, not thrown. */
export function alarmMailFromEnv(env: NodeJS.ProcessEnv = process.env): AlarmMailDeps {
  let base = "http://localhost:3000";
  try {
    base = portalUrl(env);
  } catch (error) {
    console.error(`[runs] shrink alarm links use ${base}: ${(error as Error).message}`);
  }
  try {
    const settings = mailSettings(env);
    return { mailer: settings ? smtpMailer(settings) : null, portalUrl: base };
  } catch (error) {
    console.error(`[runs] shrink alarm mail is off: ${(error as Error).message}`);
    return { mailer: null, portalUrl: base };
  }
}

const link = (base: string, path: string) => new URL(path, base.endsWith("/") ? base : `${base}/`).toString();

export function shrinkAlarmMail(
  schedule: Pick<AlarmSchedule, "id" | "name">,
  runId: string,
  alarm: ShrinkAlarm,
  base: string,
): Pick<Mail, "subject" | "text"> {
  const failed = alarm.mode === "fail";
  return {
    subject: `Restore Drill: backup of "${schedule.name}" shrank${failed ? " - run failed" : ""}`,
    text: [
      `The scheduled restore test "${schedule.name}" restored less than its last passed run:`,
      "",
      ...alarm.drops.map((d) => `  - ${describeDrop(d, { ascii: true })}`),
      "",
      `The schedule alarms on a drop of more than ${formatPct(alarm.thresholdPct)} % or a table that is gone,`,
      failed
        ? "and is set to fail the run: this run is marked failed (BACKUP_SHRANK)."
        : "and is set to warn: the run passed, with this warning.",
      "",
      `Run:           ${link(base, `runs/${runId}`)}`,
      `Compared with: ${link(base, `runs/${alarm.comparedWithRunId}`)}`,
      `Schedule:      ${link(base, `schedules/${schedule.id}`)}`,
    ].join("\n"),
  };
}

/** Mails the alarm to the schedule's recipients and records the outcome. Never throws. */
export async function notifyShrinkAlarm(
  db: Db,
  deps: AlarmMailDeps,
  runId: string,
  schedule: AlarmSchedule,
  alarm: ShrinkAlarm,
): Promise<void> {
  const recipients = schedule.notifyEmails
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const details = {
    schedule: schedule.name,
    mode: alarm.mode,
    comparedWith: alarm.comparedWithRunId,
    drops: alarm.drops.map((d) => d.kind),
  };
  let outcome: "success" | "failure" = "success";
  let mail: Record<string, unknown>;
  if (!deps.mailer) mail = { mailed: false, why: "SMTP_URL is not set" };
  else if (recipients.length === 0) mail = { mailed: false, why: "the schedule has no recipients" };
  else {
    try {
      await deps.mailer.send({ to: recipients, ...shrinkAlarmMail(schedule, runId, alarm, deps.portalUrl) });
      mail = { mailed: true, to: recipients };
    } catch (error) {
      outcome = "failure";
      mail = { mailed: false, why: `sending failed: ${(error as Error).message}` };
      console.error(`[runs] shrink alarm mail for run ${runId} failed: ${(error as Error).message}`);
    }
  }
  try {
    await recordAudit(db, { actor: null, action: "run.shrink-alarm", target: runId, outcome, details: { ...details, ...mail } });
  } catch (error) {
    console.error(`[runs] could not record the shrink alarm of run ${runId}: ${(error as Error).message}`);
  }
}
