import Link from "next/link";
import type { Dashboard } from "@/lib/dashboard/load";
import { EXPECTED_INTERVAL_DAYS } from "@/lib/dashboard/schedule-health";
import { StatusBadge } from "@/components/status-badge";
import { More, When } from "./when";

// Schedules that need someone: failing now, missed a run, or not verified in time.

export function FailingSchedules({ failing, timeZone }: { failing: Dashboard["failing"]; timeZone: string }) {
  return (
    <section aria-labelledby="failing-heading">
      <h2 id="failing-heading">Schedules failing now ({failing.count})</h2>
      {failing.count === 0 ? (
        <p className="panel empty">No schedule is failing: no enabled schedule&apos;s latest verdict is a failure.</p>
      ) : (
        <table>
          <caption>Enabled schedules whose latest verdict is failed or could not verify, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Schedule</th>
              <th scope="col">Failed run ({timeZone})</th>
              <th scope="col">Verdict</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {failing.items.map((f) => (
              <tr key={f.id}>
                <th scope="row">
                  <Link href={`/schedules/${f.id}`}>{f.name}</Link>
                </th>
                <td>
                  {f.run ? (
                    <Link href={`/runs/${f.run.id}`}>
                      <When at={f.failedAt} timeZone={timeZone} />
                    </Link>
                  ) : (
                    <When at={f.failedAt} timeZone={timeZone} />
                  )}
                </td>
                <td>{f.run && <StatusBadge status={f.run.status} />}</td>
                <td>
                  {f.run?.reason ?? "—"}
                  {f.run?.reasonCode && <div className="muted">{f.run.reasonCode}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More shown={failing.items.length} count={failing.count} href="/schedules" what="schedules" />
    </section>
  );
}

export function MissedSchedules({ missed, timeZone }: { missed: Dashboard["missed"]; timeZone: string }) {
  return (
    <section aria-labelledby="missed-heading">
      <h2 id="missed-heading">Schedules with missed runs ({missed.count})</h2>
      {missed.count === 0 ? (
        <p className="panel empty">No schedule has missed a run.</p>
      ) : (
        <table>
          <caption>A due run produced no verdict within the grace period; longest missed first</caption>
          <thead>
            <tr>
              <th scope="col">Schedule</th>
              <th scope="col">Missed run due ({timeZone})</th>
              <th scope="col">Flagged since</th>
            </tr>
          </thead>
          <tbody>
            {missed.items.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <Link href={`/schedules/${m.id}`}>{m.name}</Link>
                </th>
                <td>{m.missedDueAt ? <When at={m.missedDueAt} timeZone={timeZone} /> : "—"}</td>
                <td>
                  <When at={m.missedSince} timeZone={timeZone} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More shown={missed.items.length} count={missed.count} href="/schedules" what="schedules" />
    </section>
  );
}

const FREQUENCY_RULE = Object.entries(EXPECTED_INTERVAL_DAYS)
  .map(([frequency, days]) => `${frequency} within ${days} day${days === 1 ? "" : "s"}`)
  .join(", ");

export function UncoveredSchedules({
  dashboard,
  timeZone,
}: {
  dashboard: Pick<Dashboard, "uncovered" | "pausedCount" | "graceMinutes">;
  timeZone: string;
}) {
  const { uncovered, pausedCount, graceMinutes } = dashboard;
  return (
    <section aria-labelledby="coverage-heading">
      <h2 id="coverage-heading">Backups not verified in time ({uncovered.count})</h2>
      <p className="muted">
        A schedule&apos;s backup is covered while its last passed run is recent enough: {FREQUENCY_RULE}, plus {graceMinutes} minutes&apos;
        grace.
        {pausedCount > 0 && ` ${pausedCount} paused schedule${pausedCount === 1 ? " is" : "s are"} not counted.`}
      </p>
      {uncovered.count === 0 ? (
        <p className="panel empty">Every enabled schedule has a passed run within its expected interval.</p>
      ) : (
        <table>
          <caption>Enabled schedules never verified or last verified too long ago; longest first</caption>
          <thead>
            <tr>
              <th scope="col">Schedule</th>
              <th scope="col">Frequency</th>
              <th scope="col">Last verified ({timeZone})</th>
              <th scope="col">Not covered since</th>
            </tr>
          </thead>
          <tbody>
            {uncovered.items.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <Link href={`/schedules/${u.id}`}>{u.name}</Link>
                </th>
                <td>{u.frequency}</td>
                <td>
                  {u.lastPassedAt && u.lastPassedRunId ? (
                    <Link href={`/runs/${u.lastPassedRunId}`}>
                      <When at={u.lastPassedAt} timeZone={timeZone} />
                    </Link>
                  ) : (
                    <span className="badge failure">never verified</span>
                  )}
                </td>
                <td>{u.uncoveredSince ? <When at={u.uncoveredSince} timeZone={timeZone} /> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More shown={uncovered.items.length} count={uncovered.count} href="/schedules" what="schedules" />
    </section>
  );
}
