import Link from "next/link";
import type { Dashboard } from "@/lib/dashboard/load";
import { ageAgainstLimit } from "@/lib/runs/selection";
import { When } from "./when";

// Stale and missing backups (issue 14): the backup job may have stopped. Each row links to the run.

export function BackupProblems({ problems, timeZone }: { problems: Dashboard["backupProblems"]; timeZone: string }) {
  return (
    <section aria-labelledby="backup-problems-heading">
      <h2 id="backup-problems-heading">Stale and missing backups</h2>
      <table>
        <caption>Backups whose newest run found no matching file, or a file older than its limit</caption>
        <thead>
          <tr>
            <th scope="col">Run ({timeZone})</th>
            <th scope="col">Problem</th>
            <th scope="col">Schedule</th>
            <th scope="col">Backup</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={p.id}>
              <td>
                <Link href={`/runs/${p.id}`}>
                  <When at={p.createdAt} timeZone={timeZone} />
                </Link>
              </td>
              <td>
                <span className="badge failure">{p.reasonCode === "BACKUP_STALE" ? "stale" : "missing"}</span>
                {p.selection && <div className="muted">{ageAgainstLimit(p.selection)}</div>}
              </td>
              <td>
                {p.schedule ? (
                  <Link href={`/schedules/${p.schedule.id}`}>{p.schedule.name}</Link>
                ) : (
                  <span className="muted">started by hand</span>
                )}
              </td>
              <td>
                <code>
                  {p.backupHost}:{p.selection?.file ?? p.backupPath}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
