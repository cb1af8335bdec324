import type { Metadata } from "next";
import { RefreshOnFocus } from "@/components/refresh-on-focus";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { repairSchedule } from "@/lib/actions/schedules";
import { db } from "@/lib/db/client";
import { getJenkins, isJenkinsError, JenkinsConfigError } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { portalUrl } from "@/lib/runs/config";
import { checkDrift } from "@/lib/schedules/manage";
import { SCHEDULE_ID_PATTERN } from "@/lib/schedules/schema";
import { scheduleDetail } from "@/lib/schedules/view";
import { ScheduleFacts } from "./schedule-facts";
import { BackupAge } from "./backup-age";
import { ScheduleHistory } from "./schedule-history";

export const metadata: Metadata = { title: "Scheduled restore" };
export const dynamic = "force-dynamic";

const DRIFT_TEXT: Record<string, string> = {
  missing: "Its Jenkins job is missing: the timer does not run.",
  changed: "Its Jenkins job was changed in Jenkins and no longer matches this schedule.",
};

/**
 * A detail page may ask Jenkins (one config.xml read); a fault leaves the last known state. A
 * portal user Jenkins will not show jobs to is said as such: the drift state cannot be known.
 */
async function liveDrift(id: string): Promise<string | null> {
  try {
    await checkDrift({ db, jenkins: getJenkins(), portalUrl: portalUrl() }, id);
  } catch (error) {
    if (isJenkinsError(error, "forbidden")) return jenkinsFaultMessage(error, { jenkinsUrl: getJenkins().url });
    if (!isJenkinsError(error) && !(error instanceof JenkinsConfigError)) throw error;
  }
  return null;
}

export default async function ScheduleDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const { id } = await params;
  if (!SCHEDULE_ID_PATTERN.test(id)) notFound();
  const jenkinsProblem = await liveDrift(id).catch(() => null);
  const page = Number((await searchParams).page ?? "1") || 1;
  const s = await scheduleDetail(db, id, page);
  if (!s) notFound();
  return (
    <>
      <RefreshOnFocus />
      <p>
        <Link href="/schedules">← Schedules</Link>
      </p>
      <h1>{s.name}</h1>
      {jenkinsProblem && (
        <div className="notice error" role="alert">
          <p>
            <strong>Cannot check the Jenkins job.</strong> {jenkinsProblem}
          </p>
        </div>
      )}
      {s.drift && (
        <div className="notice error" role="alert">
          <p>
            <strong>Drifted.</strong> {DRIFT_TEXT[s.drift] ?? s.drift} Jenkins job: <code>{s.jobName}</code>
          </p>
          <ActionForm label="Repair the Jenkins job" action={repairSchedule} hidden={{ scheduleId: s.id }} submitLabel="Repair" />
        </div>
      )}
      {s.missedSince && (
        <div className="notice error" role="alert">
          <p>
            <strong>Missed run.</strong> The run due {s.missedDueAt} produced no verdict in time (flagged since {s.missedSince}).
          </p>
        </div>
      )}
      <ScheduleFacts schedule={s} />
      <BackupAge schedule={s} />
      <ScheduleHistory schedule={s} />
    </>
  );
}
