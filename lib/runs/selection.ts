import type { BackupSelection } from "./report";

// The backup a run tested (report.backup.selection, issue 14): read from a stored report without
// parsing the whole of it strictly, for lists (schedule page, Results CSV, dashboard) that show
// only these few facts. The run page reads it from the validated report (./view.ts).

/** The reason codes of a backup that is not there or too old: the dashboard's own list. */
export const BACKUP_PROBLEM_CODES = ["BACKUP_MISSING", "BACKUP_STALE"] as const;

export function selectionOfReport(report: string | null): BackupSelection | null {
  if (!report) return null;
  try {
    const s = (JSON.parse(report) as { backup?: { selection?: Partial<BackupSelection> | null } }).backup?.selection;
    if (!s || typeof s.file !== "string" || typeof s.ageSeconds !== "number" || typeof s.mtime !== "string") return null;
    return {
      directory: String(s.directory ?? ""),
      pattern: typeof s.pattern === "string" ? s.pattern : null,
      file: s.file,
      mtime: s.mtime,
      bytes: Number(s.bytes ?? 0),
      matches: Number(s.matches ?? 1),
      ageSeconds: s.ageSeconds,
      maxAgeHours: typeof s.maxAgeHours === "number" ? s.maxAgeHours : null,
      stale: s.stale === true,
      nameDate: typeof s.nameDate === "string" ? s.nameDate : null,
      restores: typeof s.restores === "boolean" ? s.restores : null,
    };
  } catch {
    return null;
  }
}

/** An age in words: hours under two days, else days. */
export function formatAge(seconds: number): string {
  const h = seconds / 3600;
  return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} h`;
}

/** The age against the limit in one phrase: "30.0 h old; limit 26 h (stale)". */
export function ageAgainstLimit(s: Pick<BackupSelection, "ageSeconds" | "maxAgeHours" | "stale">): string {
  const age = `${formatAge(Math.max(0, s.ageSeconds))} old`;
  if (s.maxAgeHours === null) return `${age}; no age limit`;
  return `${age}; limit ${formatAge(s.maxAgeHours * 3600)}${s.stale ? " (stale)" : ""}`;
}
