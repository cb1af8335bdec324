import type { RunView } from "@/lib/runs/view";

// The data checks of a run (issue 14 items 2 and 3): every assertion with the rows seen, and the
// freshness query's value against the backup's time. Rendered inside the run page's results.

const utc = (iso: string) => `${iso.replace("T", " ").replace(/(\.\d+)?Z$/, "")} UTC`;

function hours(seconds: number): string {
  const h = seconds / 3600;
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} h`;
}

export function DataChecks({ assertions, freshness }: Pick<RunView, "assertions" | "freshness">) {
  if (!assertions?.length && !freshness) return null;
  return (
    <>
      {assertions && assertions.length > 0 && (
        <>
          <h2>Data assertions</h2>
          <table aria-label="Data assertions">
            <thead>
              <tr>
                <th scope="col">Assertion</th>
                <th scope="col" className="num">
                  Rows seen
                </th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {assertions.map((a) => (
                <tr key={a.assertion} data-passed={a.passed}>
                  <td>
                    <code>{a.assertion}</code>
                  </td>
                  <td className="num">{a.exists ? (a.rows ?? 0).toLocaleString("en") : "no such table"}</td>
                  <td>
                    <span className={`badge ${a.passed ? "success" : "failure"}`}>{a.passed ? "holds" : "failed"}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {freshness && (
        <section aria-label="Data freshness">
          <h2>Data freshness</h2>
          <dl className="facts">
            <dt>Query</dt>
            <dd>
              <code>{freshness.query}</code>
            </dd>
            <dt>Newest data</dt>
            <dd>
              <span className={`badge ${freshness.result === "ok" ? "success" : "failure"}`}>
                {freshness.result === "ok" ? "fresh" : "stale"}
              </span>{" "}
              {freshness.valueAt ? utc(freshness.valueAt) : "no value (no row or NULL)"}
              {freshness.value && freshness.valueAt && <span className="muted"> — returned {freshness.value}</span>}
            </dd>
            <dt>Against the backup</dt>
            <dd>
              {freshness.ageSeconds !== null
                ? `${freshness.ageSeconds >= 0 ? hours(freshness.ageSeconds) + " older than" : hours(-freshness.ageSeconds) + " newer than"} `
                : ""}
              the backup&apos;s time, {utc(freshness.backupTime)} ({freshness.backupTimeSource === "modified" ? "file modified" : "fetched"}
              ); the limit is {hours(freshness.limitSeconds)}
            </dd>
          </dl>
        </section>
      )}
    </>
  );
}
