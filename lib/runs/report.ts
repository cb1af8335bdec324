import { z } from "zod";
import { DB_TYPES } from "@/lib/pipeline/database-types";
import { SANDBOX_PROVIDERS } from "@/lib/pipeline/sandbox-providers";
import { VERDICTS } from "./status";

// restore-report.json, schema version 1 (jenkins-jobs/restore-report.schema.json), as zod:
// the callback body and the archived artifact are both checked against it before anything
// in them is believed. Objects are strict, as the JSON Schema says additionalProperties: false.

const isoTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, "generatedAt must be an ISO-8601 UTC timestamp");
const nullableString = z.string().nullable();

export const REPORT_STAGE_NAMES = ["validate", "decrypt", "deploy", "restore", "destroy"] as const;
export const REPORT_STAGE_STATUSES = ["passed", "failed", "could-not-verify", "running", "not-run"] as const;

const reportStageSchema = z.strictObject({
  name: z.enum(REPORT_STAGE_NAMES),
  status: z.enum(REPORT_STAGE_STATUSES),
  startedAt: nullableString,
  finishedAt: nullableString,
  reasonCode: nullableString,
  reason: nullableString,
});

export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const dumpVersionSchema = z.strictObject({
  engine: z.enum(["mariadb", "mysql", "postgresql", "sqlite", "mongodb"]).nullable(),
  tool: nullableString,
  toolVersion: nullableString,
  major: nullableString,
  archiveVersion: nullableString,
});

const selectionSchema = z.strictObject({
  directory: z.string(),
  pattern: nullableString,
  file: z.string(),
  mtime: z.string(),
  bytes: z.number().int().min(0),
  matches: z.number().int().min(1),
  ageSeconds: z.number().int(),
  maxAgeHours: z.number().int().min(1).nullable(),
  stale: z.boolean(),
  nameDate: nullableString,
  restores: z.boolean().nullable(),
});

export const restoreReportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  generatedAt: isoTimestamp,
  runId: z.string().regex(RUN_ID_PATTERN).nullable(),
  verdict: z.enum(VERDICTS),
  failedStage: z.enum(["validate", "deploy", "decrypt", "restore"]).nullable(),
  reasonCode: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  reason: z.string().min(1),
  jenkins: z.strictObject({
    job: nullableString,
    build: z.number().int().min(1).nullable(),
    url: nullableString,
    /** NODE_NAME of the pipeline build (additive: older reports lack it). */
    node: nullableString.optional(),
  }),
  backup: z.strictObject({
    host: nullableString,
    port: z.number().int().min(1).max(65535).nullable(),
    path: nullableString,
    dbType: z.enum(DB_TYPES).nullable(),
    bytes: z.number().int().min(0).nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    encrypted: z.boolean().nullable(),
    compression: z.enum(["none", "gzip"]).nullable(),
    format: z
      .enum(["mysqldump", "pg-plain", "pg-custom", "pg-tar", "sqlite-db", "sqlite-dump", "mongo-archive", "mongo-tar", "unknown"])
      .nullable(),
    /** Which tool and version made the dump (contract C2, dump-version.json); absent in older reports. */
    dumpVersion: dumpVersionSchema.nullable().optional(),
    /** The file decrypt chose (issue 14 items 1–2; scripts/lib/select.sh); absent in older reports. */
    selection: selectionSchema.nullable().optional(),
  }),
  sandbox: z.strictObject({
    provider: z.enum(SANDBOX_PROVIDERS).nullable(),
    engine: z.enum(["mariadb", "postgresql", "sqlite", "mongodb"]).nullable(),
    version: nullableString,
    startSeconds: z.number().min(0).nullable(),
  }),
  stages: z.array(reportStageSchema).length(5),
  tables: z.array(z.strictObject({ schema: z.string(), name: z.string(), rows: z.number().int().min(0) })),
  totalRows: z.number().int().min(0).nullable(),
  integrity: z.strictObject({
    method: nullableString,
    result: z.enum(["ok", "failed", "not-run"]),
    detail: nullableString,
  }),
  // Additive (issue 14): the data checks of scripts/lib/data-checks.sh; absent in older reports.
  assertions: z
    .array(z.strictObject({ assertion: z.string(), rows: z.number().int().min(0).nullable(), exists: z.boolean(), passed: z.boolean() }))
    .nullable()
    .optional(),
  freshness: z
    .strictObject({
      query: z.string(),
      value: nullableString,
      valueAt: nullableString,
      backupTime: z.string(),
      backupTimeSource: z.enum(["modified", "fetched"]),
      ageSeconds: z.number().int().nullable(),
      limitSeconds: z.number().int().min(0),
      result: z.enum(["ok", "stale"]),
    })
    .nullable()
    .optional(),
});

export type DumpVersion = z.output<typeof dumpVersionSchema>;
export type BackupSelection = z.output<typeof selectionSchema>;

export type RestoreReport = z.output<typeof restoreReportSchema>;
export type ReportStage = RestoreReport["stages"][number];

/** A short, safe description of why a body is not a report (never echoes the values). */
export function describeReportProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
}
