import Link from "next/link";
import type { Dashboard } from "@/lib/dashboard/load";
import { RECENT_WINDOW_DAYS } from "@/lib/dashboard/load";
import { StatusBadge } from "@/components/status-badge";
import { When } from "./when";

// The newest failed runs and shrink alarms of the last 30 days, each linking to its run.

function ScheduleCell({ schedule }: { schedule: { id: string; name: string } | null }) {
  return schedule ? <Link href={`/schedules/${schedule.id}`}>{schedule.name}</Link> : <span className="muted">started by hand</span>;
}

export function RecentFailures({ failures, timeZone }: { failures: Dashboard["recentFailures"]; timeZone: string }) {
  return (
    <section aria-labelledby="recent-failures-heading">
      <h2 id="recent-failures-heading">Recent failures</h2>
      {failures.length === 0 ? (
        <p className="panel empty">No failures in the last {RECENT_WINDOW_DAYS} days.</p>
      ) : (
        <table>
          <caption>The newest failed or could-not-verify runs of the last {RECENT_WINDOW_DAYS} days</caption>
          <thead>
            <tr>
              <th scope="col">Run ({timeZone})</th>
              <th scope="col">Verdict</th>
              <th scope="col">Schedule</th>
              <th scope="col">Backup</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={f.id}>
                <td>
                  <Link href={`/runs/${f.id}`}>
                    <When at={f.createdAt} timeZone={timeZone} />
                  </Link>
                </td>
                <td>
                  <StatusBadge status={f.status} />
                </td>
                <td>
                  <ScheduleCell schedule={f.schedule} />
                </td>
                <td>
                  {f.backupHost}:{f.backupPath}
                </td>
                <td>
                  {f.reason ?? "—"}
                  {(f.reasonCode || f.failedStage) && (
                    <div className="muted">{[f.failedStage && `stage ${f.failedStage}`, f.reasonCode].filter(Boolean).join(" · ")}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RecentAlarms({ alarms, timeZone }: { alarms: Dashboard["recentAlarms"]; timeZone: string }) {
  return (
    <section aria-labelledby="shrink-alarms-heading">
      <h2 id="shrink-alarms-heading">Shrinking backups</h2>
      {alarms.length === 0 ? (
        <p className="panel empty">No shrink alarms in the last {RECENT_WINDOW_DAYS} days.</p>
      ) : (
        <table>
          <caption>
            Runs whose backup shrank against the schedule&apos;s last passed run, newest first (last {RECENT_WINDOW_DAYS} days)
          </caption>
          <thead>
            <tr>
              <th scope="col">Run ({timeZone})</th>
              <th scope="col">Schedule</th>
              <th scope="col">What shrank</th>
              <th scope="col">Effect</th>
            </tr>
          </thead>
          <tbody>
            {alarms.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/runs/${a.id}`}>
                    <When at={a.createdAt} timeZone={timeZone} />
                  </Link>
                </td>
                <td>
                  <ScheduleCell schedule={a.schedule} />
                </td>
                <td>{a.alarm?.summary ?? "The alarm's details cannot be read; open the run."}</td>
                <td>
                  {a.alarm?.mode === "fail" ? (
                    <span className="badge failure">failed the run</span>
                  ) : a.alarm ? (
                    <span className="badge warning">warning</span>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
