import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { StatusBadge } from "@/components/status-badge";
import { deleteSchedule, pauseSchedule, repairSchedule, resumeSchedule, runScheduleNow } from "@/lib/actions/schedules";
import { db } from "@/lib/db/client";
import { getJenkins, isJenkinsError, JenkinsConfigError } from "@/lib/jenkins";
import { portalUrl } from "@/lib/runs/config";
import { checkDrift } from "@/lib/schedules/manage";
import { SCHEDULE_ID_PATTERN } from "@/lib/schedules/schema";
import { scheduleDetail } from "@/lib/schedules/view";

export const metadata: Metadata = { title: "Scheduled restore" };
export const dynamic = "force-dynamic";

const DRIFT_TEXT: Record<string, string> = {
  missing: "Its Jenkins job is missing: the timer does not run.",
  changed: "Its Jenkins job was changed in Jenkins and no longer matches this schedule.",
};

/** A detail page may ask Jenkins (one config.xml read); a fault leaves the last known state. */
async function liveDrift(id: string): Promise<void> {
  try {
    await checkDrift({ db, jenkins: getJenkins(), portalUrl: portalUrl() }, id);
  } catch (error) {
    if (!isJenkinsError(error) && !(error instanceof JenkinsConfigError)) throw error;
  }
}

const duration = (ms: number | null) => (ms === null ? "—" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export default async function ScheduleDetailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string }> }) {
  const { id } = await params;
  if (!SCHEDULE_ID_PATTERN.test(id)) notFound();
  await liveDrift(id).catch(() => undefined);
  const page = Number((await searchParams).page ?? "1") || 1;
  const s = await scheduleDetail(db, id, page);
  if (!s) notFound();
  const p = s.parameters;
  return (
    <>
      <p>
        <Link href="/schedules">← Schedules</Link>
      </p>
      <h1>{s.name}</h1>
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
      <div className="panel">
        <dl className="facts">
          <dt>When</dt>
          <dd>{s.whenText}</dd>
          <dt>Status</dt>
          <dd>{s.enabled ? <span className="badge success">scheduled</span> : <span className="badge disabled">paused</span>}</dd>
          <dt>Next runs</dt>
          <dd>{s.nextRuns.length ? s.nextRuns.join(" · ") : "none while paused"}</dd>
          <dt>Backup</dt>
          <dd>{p ? `${p.backupHost}:${p.backupPort} ${p.backupPath} (${p.dbType})` : "—"}</dd>
          <dt>Keys</dt>
          <dd>{p ? `SSH ${p.sshCredentialId}${p.gpgCredentialId ? `, GPG ${p.gpgCredentialId}` : ""}` : "—"}</dd>
          <dt>Notify</dt>
          <dd>{s.notifyEmails ? s.notifyEmails.split(",").join(", ") : "nobody"}</dd>
          <dt>Shrink alarm</dt>
          <dd>
            when backup size or rows drop by more than {s.shrinkThresholdPct} % (or a table is gone): {s.shrinkFailsRun ? "fail the run" : "warn"}
          </dd>
          <dt>Jenkins job</dt>
          <dd>
            <code>{s.jobName}</code> (timer <code>{s.timerSpec.replace("\n", " ")}</code>)
          </dd>
          <dt>Owner</dt>
          <dd>
            {s.ownerEmail}, last changed by {s.updatedByEmail}
          </dd>
        </dl>
        <div className="actions">
          {s.enabled && <ActionForm label="Run now" action={runScheduleNow} hidden={{ scheduleId: s.id }} submitLabel="Run now" />}
          <Link className="button secondary" href={`/schedules/${s.id}/edit`}>
            Modify
          </Link>
          {s.enabled ? (
            <ActionForm label="Stop scheduling" action={pauseSchedule} hidden={{ scheduleId: s.id }} submitLabel="Stop scheduling" />
          ) : (
            <ActionForm label="Resume scheduling" action={resumeSchedule} hidden={{ scheduleId: s.id }} submitLabel="Resume" />
          )}
          <ActionForm
            label="Delete schedule"
            action={deleteSchedule}
            hidden={{ scheduleId: s.id }}
            submitLabel="Delete"
            confirm={{ question: `Delete "${s.name}" and its Jenkins job? Its past runs stay in Results.`, confirmLabel: "Delete schedule" }}
          />
        </div>
      </div>

      <h2>Previous Restores</h2>
      {s.history.length === 0 ? (
        <p className="panel empty">No runs yet. The first runs {s.nextRuns[0] ?? "once the schedule is resumed"}.</p>
      ) : (
        <table aria-label="Previous restores">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Time</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Jenkins</th>
            </tr>
          </thead>
          <tbody>
            {s.history.map((h) => (
              <tr key={h.id}>
                <td>
                  <Link href={`/runs/${h.id}`}>{h.date}</Link>
                </td>
                <td>{h.time}</td>
                <td>
                  <StatusBadge status={h.status} />{" "}
                  {h.shrank && (
                    <span className="badge warning" title="The backup shrank against the last passed run">
                      shrank
                    </span>
                  )}{" "}
                  {h.reason && <span className="muted">{h.reason}</span>}
                </td>
                <td>{duration(h.durationMs)}</td>
                <td>{h.buildUrl ? <a href={h.buildUrl}>build #{h.buildNumber}</a> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.pages > 1 && (
        <nav aria-label="Previous restores pages" className="actions">
          {s.page > 1 && <Link href={`/schedules/${s.id}?page=${s.page - 1}`}>← Newer</Link>}
          <span>
            Page {s.page} of {s.pages}
          </span>
          {s.page < s.pages && <Link href={`/schedules/${s.id}?page=${s.page + 1}`}>Older →</Link>}
        </nav>
      )}
    </>
  );
}
