import type { Db } from "@/lib/db/client";
import type { RunParameters } from "@/lib/validation/run";
import { parseAlarm, type ShrinkAlarm } from "./alarm";
import { restoreReportSchema, type BackupSelection, type DumpVersion, type RestoreReport } from "./report";
import { parseStoredStages, stagesFromReport, type StageView } from "./stages";
import { asRunSource, asRunStatus, type RunSource, type RunStatus } from "./status";
import type { RunRow } from "./sync";

/** What the run page shows; plain JSON (dates as ISO strings) so it serialises to the browser. */
export interface RunView {
  id: string;
  status: RunStatus;
  source: RunSource;
  parameters: RunParameters;
  startedByEmail: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  jobName: string;
  buildNumber: number | null;
  buildUrl: string | null;
  /** The Jenkins node that ran the restore (lib/runs/close.ts). */
  agent: string | null;
  failedStage: string | null;
  reasonCode: string | null;
  reason: string | null;
  stages: StageView[];
  tables: { schema: string | null; name: string; rows: number }[];
  totalRows: number | null;
  integrity: { method: string; result: string; detail: string | null } | null;
  backup: { bytes: number | null; sha256: string | null } | null;
  /** What made the dump and what the sandbox ran (issue 14 item 4); null before a report. */
  versions: { dump: DumpVersion | null; sandboxEngine: string | null; sandboxVersion: string | null } | null;
  /** The shrinking-backup alarm raised when the run closed (lib/runs/shrink.ts), or null. */
  alarm: ShrinkAlarm | null;
  /** The data checks' results (scripts/lib/data-checks.sh); null when the run had none or never got there. */
  assertions: NonNullable<RestoreReport["assertions"]> | null;
  freshness: NonNullable<RestoreReport["freshness"]> | null;
  /** The file decrypt chose: newest match of a pattern, its age against the limit (issue 14); null when none. */
  selection: BackupSelection | null;
}

export async function getRunView(db: Db, id: string): Promise<RunView | null> {
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return null;
  const run = await db.restoreRun.findUnique({ where: { id } });
  return run ? toRunView(run) : null;
}

export function toRunView(run: RunRow): RunView {
  const parsedReport = run.report ? restoreReportSchema.safeParse(safeJson(run.report)) : null;
  const report = parsedReport?.success ? parsedReport.data : null;
  return {
    id: run.id,
    status: asRunStatus(run.status),
    source: asRunSource(run.source),
    parameters: (safeJson(run.parameters) ?? {}) as RunParameters,
    startedByEmail: run.startedByEmail,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    jobName: run.jobName,
    buildNumber: run.buildNumber,
    buildUrl: run.buildUrl,
    agent: run.agent,
    failedStage: run.failedStage,
    reasonCode: run.reasonCode,
    reason: run.reason,
    stages: report ? stagesFromReport(report) : parseStoredStages(run.stages),
    tables: report ? report.tables.map((t) => ({ schema: t.schema, name: t.name, rows: t.rows })) : [],
    totalRows: report?.totalRows ?? (run.totalRows === null ? null : Number(run.totalRows)),
    integrity:
      report && report.integrity.result !== "not-run"
        ? { method: report.integrity.method ?? "", result: report.integrity.result, detail: report.integrity.detail }
        : null,
    backup: report
      ? { bytes: report.backup.bytes, sha256: report.backup.sha256 }
      : run.backupBytes !== null
        ? { bytes: Number(run.backupBytes), sha256: null }
        : null,
    versions: report
      ? { dump: report.backup.dumpVersion ?? null, sandboxEngine: report.sandbox.engine, sandboxVersion: report.sandbox.version }
      : null,
    alarm: parseAlarm(run.alarm),
    assertions: report?.assertions ?? null,
    freshness: report?.freshness ?? null,
    selection: report?.backup.selection ?? null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
