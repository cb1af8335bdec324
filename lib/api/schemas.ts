import { z } from "zod";
import { restoreReportSchema } from "@/lib/runs/report";
import { RUN_SOURCES, RUN_STATUSES } from "@/lib/runs/status";
import { runParametersSchema } from "@/lib/validation/run";
import { whenSchema } from "@/lib/validation/schedule";
import { API_SCOPES } from "./token-schema";

// What the API answers, as zod schemas: the OpenAPI document's response schemas are generated
// from these (lib/api/openapi.ts), and the API tests check every answer against that document.

const isoDate = z.iso.datetime({ offset: true });
const nullable = <T extends z.ZodType>(s: T) => s.nullable();

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ title: "Problem", description: "RFC 9457 problem details; `errors` holds the field messages of the schema." });

export const runSummarySchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(RUN_STATUSES),
    source: z.string(),
    createdAt: isoDate,
    startedAt: nullable(isoDate),
    finishedAt: nullable(isoDate),
    durationMs: nullable(z.number().int()),
    dbType: z.string(),
    backupHost: z.string(),
    backupPath: z.string(),
    schedule: nullable(z.object({ id: z.string(), name: z.string() })),
    startedByEmail: nullable(z.string()),
    failedStage: nullable(z.string()),
    reasonCode: nullable(z.string()),
    reason: nullable(z.string()),
    totalRows: nullable(z.number()),
    backupBytes: nullable(z.number()),
  })
  .meta({ title: "RunSummary" });

export const runPageSchema = z
  .object({ runs: z.array(runSummarySchema), next: nullable(z.string()).describe("Cursor of the next page: pass it as `after`.") })
  .meta({ title: "RunPage" });

export const runDetailSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(RUN_STATUSES),
    source: z.enum(RUN_SOURCES),
    parameters: z.record(z.string(), z.unknown()).describe("The run form's values (never a secret)."),
    startedByEmail: nullable(z.string()),
    createdAt: isoDate,
    startedAt: nullable(isoDate),
    finishedAt: nullable(isoDate),
    durationMs: nullable(z.number().int()),
    jobName: z.string(),
    buildNumber: nullable(z.number().int()),
    buildUrl: nullable(z.string()),
    agent: nullable(z.string()).describe("The Jenkins node that ran the restore (built-in for the controller)."),
    failedStage: nullable(z.string()),
    reasonCode: nullable(z.string()),
    reason: nullable(z.string()),
    stages: z.array(z.object({ name: z.string(), status: z.string(), startedAt: nullable(z.string()), finishedAt: nullable(z.string()) })),
    tables: z.array(z.object({ schema: nullable(z.string()), name: z.string(), rows: z.number() })),
    totalRows: nullable(z.number()),
    integrity: nullable(z.object({ method: z.string(), result: z.string(), detail: nullable(z.string()) })),
    backup: nullable(z.object({ bytes: nullable(z.number()), sha256: nullable(z.string()) })),
    alarm: nullable(z.record(z.string(), z.unknown())),
    // The data checks exactly as the restore report has them (lib/runs/report.ts).
    assertions: restoreReportSchema.shape.assertions.unwrap(),
    freshness: restoreReportSchema.shape.freshness.unwrap(),
    selection: restoreReportSchema.shape.backup.shape.selection
      .unwrap()
      .describe("The file decrypt chose: directory, pattern, file, its modification time, size, matches, age against the limit."),
    versions: nullable(
      z.object({
        dump: restoreReportSchema.shape.backup.shape.dumpVersion.unwrap(),
        sandboxEngine: nullable(z.string()),
        sandboxVersion: nullable(z.string()),
      }),
    ).describe("Which tool and version made the dump, and the sandbox engine's version."),
  })
  .meta({ title: "Run" });

export const acceptedRunSchema = z.object({ run: runDetailSchema, message: z.string() }).meta({ title: "AcceptedRun" });
export const messageSchema = z.object({ message: z.string() }).meta({ title: "Message" });
export const queuedSchema = z.object({ message: z.string(), queueId: z.number().int() }).meta({ title: "Queued" });

const countsShape = {
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  couldNotVerify: z.number().int(),
  aborted: z.number().int(),
  failedToStart: z.number().int(),
  open: z.number().int().describe("Queued or running."),
  successRate: nullable(z.number()).describe("passed / (passed + failed + could-not-verify), 0..1; null when none."),
};

export const statsSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), tz: z.string(), schedule: z.string().optional() }),
    totals: z.object(countsShape),
    schedules: z.array(z.object({ id: nullable(z.string()), name: z.string(), lastRunAt: nullable(isoDate), ...countsShape })),
  })
  .meta({ title: "Statistics" });

export const scheduleSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    backupHost: z.string(),
    backupPath: z.string(),
    dbType: z.string(),
    when: z.string(),
    nextRun: nullable(z.string()),
    lastRun: nullable(z.object({ id: z.string(), at: z.string(), status: z.string() })),
    missedSince: nullable(z.string()),
    drift: nullable(z.string()),
  })
  .meta({ title: "ScheduleSummary" });

export const scheduleDetailSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    jobName: z.string(),
    enabled: z.boolean(),
    when: whenSchema,
    whenText: z.string(),
    timerSpec: z.string(),
    nextRuns: z.array(z.string()),
    parameters: nullable(runParametersSchema),
    notifyEmails: z.string(),
    shrinkThresholdPct: z.number().int(),
    shrinkFailsRun: z.boolean(),
    ownerEmail: z.string(),
    createdAt: isoDate,
    updatedByEmail: z.string(),
    missedSince: nullable(z.string()),
    drift: nullable(z.string()),
    recentRuns: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        date: z.string(),
        time: z.string(),
        reason: nullable(z.string()),
        durationMs: nullable(z.number()),
      }),
    ),
  })
  .meta({ title: "Schedule" });

export const credentialSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["ssh", "gpg"]),
    description: z.string(),
    fingerprint: nullable(z.string()),
    keyType: nullable(z.string()),
    inJenkins: nullable(z.boolean()),
    usedBy: z.array(z.object({ id: z.string(), name: z.string() }).loose()),
  })
  .meta({ title: "Credential" });

export const credentialListSchema = z
  .object({ credentials: z.array(credentialSchema), jenkinsProblem: nullable(z.string()) })
  .meta({ title: "CredentialList" });

export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(API_SCOPES)),
    ownerEmail: z.string(),
    createdAt: isoDate,
    expiresAt: nullable(isoDate),
    lastUsedAt: nullable(isoDate),
    lastUsedFrom: nullable(z.string()),
    revokedAt: nullable(isoDate),
    state: z.enum(["active", "expired", "revoked"]),
  })
  .meta({ title: "Token" });
