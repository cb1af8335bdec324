import { formatBytes } from "@/lib/format-bytes";
import { ageAgainstLimit } from "@/lib/runs/selection";
import type { RunView } from "@/lib/runs/view";

// The backup a run tested (issue 14): the file chosen, its age against the limit, how many files
// matched the pattern and, for a stale file, whether it at least restores.

const utc = (iso: string) => `${iso.replace("T", " ").replace(/(\.\d+)?Z$/, "")} UTC`;

export function BackupSelection({ selection }: Pick<RunView, "selection">) {
  if (!selection) return null;
  const s = selection;
  return (
    <section aria-label="Backup tested">
      <h2>Backup tested</h2>
      <dl className="facts">
        <dt>File</dt>
        <dd>
          <code>{s.file}</code>
        </dd>
        {s.pattern && (
          <>
            <dt>Chosen from</dt>
            <dd>
              {s.matches.toLocaleString("en")} {s.matches === 1 ? "file" : "files"} matching <code>{s.pattern}</code> in{" "}
              <code>{s.directory}</code> (the newest{s.nameDate ? `, dated ${utc(s.nameDate)} by its name` : ""})
            </dd>
          </>
        )}
        <dt>Modified</dt>
        <dd>
          {utc(s.mtime)} ({formatBytes(s.bytes, { exact: true })})
        </dd>
        <dt>Age</dt>
        <dd>
          <span className={`badge ${s.stale ? "failure" : "success"}`}>{s.stale ? "stale" : "fresh"}</span> {ageAgainstLimit(s)}
          {s.stale && s.restores !== null && (
            <span className="muted"> — the old file {s.restores ? "still restores" : "does not restore either"}</span>
          )}
        </dd>
      </dl>
    </section>
  );
}
