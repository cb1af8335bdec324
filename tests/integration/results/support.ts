import type { Db } from "@/lib/db/client";
import { parseAuditFilters, type AuditFilters } from "@/lib/audit/query";
import { parseResultsFilters, type ResultsFilters } from "@/lib/results/filters";
import { scheduleRow } from "../../support/schedule-row";

// Rows for the results tests are written straight through Prisma: the list reads columns, and
// how a run got there (portal, timer, Jenkins) does not matter to it.

export interface RunSeed {
  createdAt: Date;
  status?: string;
  dbType?: string;
  backupHost?: string;
  backupPath?: string;
  scheduleId?: string | null;
  startedByEmail?: string | null;
  reason?: string | null;
}

let counter = 0;

export function runData(seed: RunSeed) {
  counter++;
  return {
    createdAt: seed.createdAt,
    source: seed.scheduleId ? "schedule" : "portal",
    parameters: "{}",
    backupHost: seed.backupHost ?? "db1.example.test",
    backupPath: seed.backupPath ?? "/backups/app.sql.gz",
    dbType: seed.dbType ?? "postgresql",
    jobName: "restore-drill-pipeline",
    buildNumber: counter,
    status: seed.status ?? "passed",
    scheduleId: seed.scheduleId ?? null,
    startedByEmail: seed.startedByEmail === undefined ? "ann@example.test" : seed.startedByEmail,
    reason: seed.reason ?? null,
  };
}

export async function seedRun(db: Db, seed: RunSeed): Promise<string> {
  const run = await db.restoreRun.create({ data: runData(seed), select: { id: true } });
  return run.id;
}

export async function seedSchedule(db: Db, name: string): Promise<string> {
  const schedule = await db.schedule.create({
    data: scheduleRow(name),
    select: { id: true },
  });
  return schedule.id;
}

export function resultsFilters(params: Record<string, string>): ResultsFilters {
  const parsed = parseResultsFilters(params);
  if (!parsed.ok) throw new Error(`test filters refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.filters;
}

export function auditFilters(params: Record<string, string>): AuditFilters {
  const parsed = parseAuditFilters(params);
  if (!parsed.ok) throw new Error(`test filters refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.filters;
}

/** Minimal RFC 4180 reader for checking what the export wrote (quotes, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) throw new Error("CSV does not end with CRLF");
  return rows;
}

export async function bodyText(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}
