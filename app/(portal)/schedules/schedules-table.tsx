import Link from "next/link";
import { RunNowForm } from "@/components/run-now-form";
import { runScheduleNow } from "@/lib/actions/schedules";
import { db } from "@/lib/db/client";
import { sharedRead } from "@/lib/db/shared-read";
import { isOpenStatus, statusDisplay } from "@/lib/runs/status";
import { listSchedules } from "@/lib/schedules/view";

/** The wireframe's "Successful" column: yes or no, and why not when it is not a plain failure. */
function successful(status: string): string {
  if (isOpenStatus(status)) return "Running…";
  if (status === "passed") return "Yes";
  return status === "failed" ? "No" : `No (${statusDisplay(status).label.toLowerCase()})`;
}

/** "Scheduled Restores" (home page wireframe): database only, no Jenkins call. `limit`: the first rows by name only (the home page). */
export async function SchedulesTable({ limit }: { limit?: number } = {}) {
  const { rows: schedules, total } = await sharedRead(db, `schedules:${limit ?? "all"}`, () => listSchedules(db, { limit }));
  return (
    <section aria-labelledby="scheduled-restores-heading">
      <h2 id="scheduled-restores-heading">Scheduled Restores</h2>
      {schedules.length === 0 ? (
        <p className="panel empty">No schedules yet.</p>
      ) : (
        <table aria-label="Scheduled restores">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">File</th>
              <th scope="col">Location</th>
              <th scope="col">Last run</th>
              <th scope="col">Successful</th>
              <th scope="col">Next run</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/schedules/${s.id}`}>{s.name}</Link>
                  {!s.enabled && <span className="badge paused"> paused</span>}
                  {s.missedSince && <span className="badge failed"> missed</span>}
                  {s.drift && <span className="badge failed"> drifted</span>}
                </td>
                <td>{s.backupPath}</td>
                <td>{s.backupHost}</td>
                <td>{s.lastRun ? <Link href={`/runs/${s.lastRun.id}`}>{s.lastRun.at}</Link> : "—"}</td>
                <td>{s.lastRun ? successful(s.lastRun.status) : "—"}</td>
                <td>{s.nextRun ?? "paused"}</td>
                <td>{s.enabled && <RunNowForm label={`Run ${s.name} now`} action={runScheduleNow} scheduleId={s.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > schedules.length && (
        <p className="muted">
          Showing the first {schedules.length} of {total} schedules by name. <Link href="/schedules">All schedules</Link>
        </p>
      )}
    </section>
  );
}
