import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { csvResponse, csvStream, type CsvValue } from "@/lib/shared/csv";
import { selectionOfReport } from "@/lib/runs/selection";
import type { BackupSelection } from "@/lib/runs/report";
import { filtersQuery } from "@/lib/shared/filter-params";
import type { ResultsFilters } from "./filters";
import { allResults, type ResultRow } from "./query";

export const RESULTS_CSV_HEADER = [
  "id",
  "created_at_utc",
  "started_at_utc",
  "finished_at_utc",
  "verdict",
  "source",
  "db_type",
  "backup_host",
  "backup_path",
  "schedule",
  "started_by",
  "duration_ms",
  "agent",
  "failed_stage",
  "reason_code",
  "reason",
  "total_rows",
  "backup_bytes",
  // The file the run tested (issue 14: the newest match of a pattern) and its age against the limit.
  "backup_file",
  "backup_modified_utc",
  "backup_age_hours",
  "backup_max_age_hours",
  "backup_matches",
  "run_page",
] as const;

const hours = (seconds: number) => Math.round(seconds / 360) / 10;

export function resultCsvValues(run: ResultRow, selection: BackupSelection | null = null): CsvValue[] {
  return [
    run.id,
    run.createdAt,
    run.startedAt,
    run.finishedAt,
    run.status,
    run.source,
    run.dbType,
    run.backupHost,
    run.backupPath,
    run.schedule?.name ?? null,
    run.startedByEmail,
    run.durationMs,
    run.agent,
    run.failedStage,
    run.reasonCode,
    run.reason,
    run.totalRows,
    run.backupBytes,
    selection?.file ?? null,
    selection?.mtime ?? null,
    selection ? hours(selection.ageSeconds) : null,
    selection?.maxAgeHours ?? null,
    selection?.matches ?? null,
    `/runs/${run.id}`,
  ];
}

async function* csvBatches(db: Db, filters: ResultsFilters) {
  for await (const runs of allResults(db, filters)) {
    // The selection lives in the stored report: read for this batch only, not for the Results page.
    const reports = await db.restoreRun.findMany({ where: { id: { in: runs.map((r) => r.id) } }, select: { id: true, report: true } });
    const selections = new Map(reports.map((r) => [r.id, selectionOfReport(r.report)]));
    yield runs.map((run) => resultCsvValues(run, selections.get(run.id) ?? null));
  }
}

/** The filtered runs as a streamed CSV download; the export itself goes on the audit trail. */
export async function exportResultsCsv(
  db: Db,
  filters: ResultsFilters,
  who: { actor: AuditActor; address: string | null },
): Promise<Response> {
  await recordAudit(db, {
    actor: who.actor,
    action: "results.export",
    outcome: "success",
    details: { filters: Object.fromEntries(filtersQuery(filters)) },
    address: who.address,
  });
  return csvResponse(csvStream(RESULTS_CSV_HEADER, csvBatches(db, filters)), "restore-drill-results.csv");
}
