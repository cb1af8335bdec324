import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import { ageAgainstLimit } from "@/lib/runs/selection";
import type { ScheduleDetail } from "@/lib/schedules/view";

const duration = (ms: number | null) =>
  ms === null ? "—" : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** "Previous Restores": the schedule's runs, newest first, a page at a time. */
export function ScheduleHistory({ schedule: s }: { schedule: ScheduleDetail }) {
  return (
    <>
      <h2 id="previous-restores">Previous Restores</h2>
      {s.history.length === 0 ? (
        <p className="panel empty">No runs yet. The first runs {s.nextRuns[0] ?? "once the schedule is resumed"}.</p>
      ) : (
        <table aria-label="Previous restores">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Time</th>
              <th scope="col">Status</th>
              <th scope="col">Backup tested</th>
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
                <td>
                  {h.backup ? (
                    <>
                      <code>{h.backup.file.slice(h.backup.file.lastIndexOf("/") + 1)}</code>
                      <div className={h.backup.stale ? "" : "muted"}>{ageAgainstLimit(h.backup)}</div>
                    </>
                  ) : (
                    "—"
                  )}
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
