import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { RunNowForm } from "@/components/run-now-form";
import { deleteSchedule, pauseSchedule, resumeSchedule, runScheduleNow } from "@/lib/actions/schedules";
import type { ScheduleDetail } from "@/lib/schedules/view";

/** What the schedule is and does, with its actions (run now, modify, pause or resume, delete). */
export function ScheduleFacts({ schedule: s }: { schedule: ScheduleDetail }) {
  const p = s.parameters;
  return (
    <div className="panel">
      <dl className="facts">
        <dt>When</dt>
        <dd>{s.whenText}</dd>
        <dt>Status</dt>
        <dd>{s.enabled ? <span className="badge success">scheduled</span> : <span className="badge paused">paused</span>}</dd>
        <dt>Next runs</dt>
        <dd>{s.nextRuns.length ? s.nextRuns.join(" · ") : "none while paused"}</dd>
        <dt>Backup</dt>
        <dd>{p ? `${p.backupHost}:${p.backupPort} ${p.backupPath} (${p.dbType})` : "—"}</dd>
        <dt>Keys</dt>
        <dd>{p ? `SSH ${p.sshCredentialId}${p.gpgCredentialId ? `, GPG ${p.gpgCredentialId}` : ""}` : "—"}</dd>
        <dt>Notify</dt>
        <dd>{s.notifyEmails ? s.notifyEmails.split(",").join(", ") : "nobody"}</dd>
        <dt>Data checks</dt>
        <dd>
          {p?.assertions ? <code>{p.assertions}</code> : "no assertions"}
          {p?.freshnessQuery ? (
            <>
              ; freshness <code>{p.freshnessQuery}</code> within {p.freshnessMaxAgeHours} h of the backup
            </>
          ) : (
            "; no freshness query"
          )}
        </dd>
        <dt>Shrink alarm</dt>
        <dd>
          when backup size or rows drop by more than {s.shrinkThresholdPct} % (or a table is gone or left empty):{" "}
          {s.shrinkFailsRun ? "fail the run" : "warn"}
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
        {s.enabled && <RunNowForm label="Run now" action={runScheduleNow} scheduleId={s.id} />}
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
  );
}
