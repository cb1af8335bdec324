import { z } from "zod";
import { addGpgKeySchema, addSshKeySchema, deleteKeySchema } from "@/lib/credentials/schemas";
import { resultsFiltersSchema } from "@/lib/results/filters";
import { RUN_ID_PATTERN } from "@/lib/runs/report";
import { SCHEDULE_ID_PATTERN, scheduleInputSchema } from "@/lib/schedules/schema";
import { statisticsFiltersSchema } from "@/lib/stats/filters";
import { runParametersSchema } from "@/lib/validation/run";
import * as out from "./schemas";
import type { ApiScope } from "./token-schema";

// Every /api/v1 operation, once: its method, path, scope and zod schemas. The route handlers in
// app/api/v1 take their checks from here (lib/api/route.ts) and the OpenAPI document is generated
// from here (lib/api/openapi.ts), so the document cannot drift from what the handlers enforce.

export interface ApiOperation {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path under /api/v1, e.g. /runs/{id}. */
  path: string;
  summary: string;
  scope: ApiScope;
  /** Also needs the token's owner to be a manager now (the admin scope is given to managers only). */
  managerOnly?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success answers: status → schema (JSON) or "text" (text/plain). */
  responses: Record<number, { description: string; schema?: z.ZodType; text?: true }>;
  /** Problem statuses this operation may answer besides those every call may (lib/api/openapi.ts). */
  problems?: number[];
}

const runId = z.object({ id: z.string().regex(RUN_ID_PATTERN, "That is not a run id.") });
const scheduleId = z.object({ id: z.string().regex(SCHEDULE_ID_PATTERN, "That is not a schedule id.") });
const credentialId = z.object({ id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, "That is not a Jenkins credential id.") });

/** A schedule change: any field of the schedule form; the rest keep their current values. */
export const schedulePatchSchema = z.record(z.string(), z.unknown()).meta({
  description:
    "Any fields of the schedule form (see ScheduleInput); the others keep their values. The merged whole is checked like the form.",
});

export const addCredentialSchema = z.discriminatedUnion("kind", [
  addSshKeySchema.extend({ kind: z.literal("ssh") }),
  addGpgKeySchema.extend({ kind: z.literal("gpg") }),
]);
export const deleteCredentialQuerySchema = deleteKeySchema.omit({ id: true });

const op = <T extends ApiOperation>(o: T) => o;

export const OPERATIONS = {
  startRun: op({
    id: "runs.start",
    method: "POST",
    path: "/runs",
    summary: "Start a restore (the run form's schema)",
    scope: "run",
    body: runParametersSchema.meta({ title: "RunParameters" }),
    responses: { 202: { description: "Started: the run, queued, and its URL", schema: out.acceptedRunSchema } },
    problems: [400, 415, 422, 502],
  }),
  listRuns: op({
    id: "runs.list",
    method: "GET",
    path: "/runs",
    summary: "Runs newest first: inclusive date range in a time zone, verdict, schedule, host; paged by cursor",
    scope: "read",
    query: resultsFiltersSchema,
    responses: { 200: { description: "One page of runs", schema: out.runPageSchema } },
    problems: [422],
  }),
  getRun: op({
    id: "runs.get",
    method: "GET",
    path: "/runs/{id}",
    summary: "One run: status, stages, report",
    scope: "read",
    params: runId,
    responses: { 200: { description: "The run", schema: out.runDetailSchema } },
    problems: [404],
  }),
  getRunLog: op({
    id: "runs.log",
    method: "GET",
    path: "/runs/{id}/log",
    summary: "The run's console log as plain text; honours Range: bytes=…",
    scope: "read",
    params: runId,
    responses: { 200: { description: "The whole log", text: true }, 206: { description: "The requested byte range", text: true } },
    problems: [404, 416, 502],
  }),
  stopRun: op({
    id: "runs.stop",
    method: "POST",
    path: "/runs/{id}/stop",
    summary: "Stop an open run (destroy still runs)",
    scope: "run",
    params: runId,
    responses: { 202: { description: "Stop requested", schema: out.messageSchema } },
    problems: [404, 409, 502],
  }),
  getStats: op({
    id: "stats.get",
    method: "GET",
    path: "/stats",
    summary: "Totals, successes, failures, could-not-verify, success rate, per schedule, for an inclusive date range",
    scope: "read",
    query: statisticsFiltersSchema,
    responses: { 200: { description: "Statistics", schema: out.statsSchema } },
    problems: [422],
  }),
  listSchedules: op({
    id: "schedules.list",
    method: "GET",
    path: "/schedules",
    summary: "Every schedule",
    scope: "read",
    responses: { 200: { description: "Schedules by name", schema: z.object({ schedules: z.array(out.scheduleSummarySchema) }) } },
  }),
  createSchedule: op({
    id: "schedules.create",
    method: "POST",
    path: "/schedules",
    summary: "Create a schedule (the schedule form's schema)",
    scope: "schedules",
    body: scheduleInputSchema.meta({ title: "ScheduleInput" }),
    responses: { 201: { description: "Created", schema: out.scheduleDetailSchema } },
    problems: [400, 409, 415, 422, 502],
  }),
  getSchedule: op({
    id: "schedules.get",
    method: "GET",
    path: "/schedules/{id}",
    summary: "One schedule with its recent runs",
    scope: "read",
    params: scheduleId,
    responses: { 200: { description: "The schedule", schema: out.scheduleDetailSchema } },
    problems: [404],
  }),
  updateSchedule: op({
    id: "schedules.update",
    method: "PATCH",
    path: "/schedules/{id}",
    summary: "Change a schedule",
    scope: "schedules",
    params: scheduleId,
    body: schedulePatchSchema,
    responses: { 200: { description: "Changed", schema: out.scheduleDetailSchema } },
    problems: [400, 404, 409, 415, 422, 502],
  }),
  deleteSchedule: op({
    id: "schedules.delete",
    method: "DELETE",
    path: "/schedules/{id}",
    summary: "Delete a schedule and its Jenkins job (its runs stay)",
    scope: "schedules",
    params: scheduleId,
    responses: { 204: { description: "Deleted" } },
    problems: [404, 502],
  }),
  runSchedule: op({
    id: "schedules.run",
    method: "POST",
    path: "/schedules/{id}/run",
    summary:
      "Run a schedule now, as its timer would. An Idempotency-Key header (8–64 of A–Z a–z 0–9 _ -) makes a retry of the same request start nothing new; each call without one is its own build",
    scope: "schedules",
    params: scheduleId,
    responses: { 202: { description: "Queued in Jenkins", schema: out.queuedSchema } },
    problems: [404, 409, 502],
  }),
  pauseSchedule: op({
    id: "schedules.pause",
    method: "POST",
    path: "/schedules/{id}/pause",
    summary: "Pause a schedule",
    scope: "schedules",
    params: scheduleId,
    responses: { 200: { description: "Paused", schema: out.scheduleDetailSchema } },
    problems: [404, 502],
  }),
  resumeSchedule: op({
    id: "schedules.resume",
    method: "POST",
    path: "/schedules/{id}/resume",
    summary: "Resume a schedule",
    scope: "schedules",
    params: scheduleId,
    responses: { 200: { description: "Resumed", schema: out.scheduleDetailSchema } },
    problems: [404, 502],
  }),
  listCredentials: op({
    id: "credentials.list",
    method: "GET",
    path: "/credentials",
    summary: "Keys: ids, descriptions, fingerprints only",
    scope: "read",
    responses: { 200: { description: "Keys", schema: out.credentialListSchema } },
  }),
  addCredential: op({
    id: "credentials.add",
    method: "POST",
    path: "/credentials",
    summary: "Add an SSH or GPG key (managers, admin scope)",
    scope: "admin",
    managerOnly: true,
    body: addCredentialSchema,
    responses: { 201: { description: "Added", schema: out.credentialSchema } },
    problems: [400, 409, 415, 422, 502],
  }),
  deleteCredential: op({
    id: "credentials.delete",
    method: "DELETE",
    path: "/credentials/{id}",
    summary: "Delete a key (managers, admin scope); a key in use needs confirmInUse=yes and the schedule ids",
    scope: "admin",
    managerOnly: true,
    params: credentialId,
    query: deleteCredentialQuerySchema,
    responses: { 204: { description: "Deleted" } },
    problems: [404, 409, 422, 502],
  }),
} satisfies Record<string, ApiOperation>;

export type OperationKey = keyof typeof OPERATIONS;

/** GET /metrics: outside /api/v1 where Prometheus looks for it, but checked and audited the same way. */
export const METRICS_OPERATION = op({
  id: "metrics",
  method: "GET",
  path: "/metrics",
  summary: "Prometheus metrics (text exposition format 0.0.4)",
  scope: "metrics",
  responses: { 200: { description: "Metrics", text: true } },
});
