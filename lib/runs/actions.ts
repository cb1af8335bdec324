import { z } from "zod";
import { defineAction } from "@/lib/actions/action";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { checkConnection, connectionCheckSchema, fieldOfReason } from "@/lib/pipeline/connection-check";
import { runParametersSchema } from "@/lib/validation/run";
import { maxOpenRunsPerUser, portalUrl } from "./config";
import { RUN_ID_PATTERN } from "./report";
import { serverJenkins } from "./server";
import { startRun } from "./start-run";
import { stopRun } from "./stop-run";

export const startRunAction = defineAction({
  name: "runs.start",
  audit: "run.start",
  access: "user",
  schema: runParametersSchema,
  handler: async (input, { user }) => {
    const { runId } = await startRun(
      { db, jenkins: serverJenkins(), portalUrl: portalUrl(), maxOpenRunsPerUser: maxOpenRunsPerUser() },
      user,
      input,
    );
    return { message: "Restore started.", result: { runId } };
  },
});

export const runRefSchema = z.object({
  runId: z.string({ message: "Which run?" }).trim().regex(RUN_ID_PATTERN, "That is not a run id."),
});

export const stopRunAction = defineAction({
  name: "runs.stop",
  audit: "run.stop",
  access: "user",
  schema: runRefSchema,
  handler: async ({ runId }, { user }) => {
    await stopRun({ db, jenkins: serverJenkins() }, user, runId);
    return { message: "Stop requested: the build is being aborted; destroy still runs." };
  },
});

/** "Test connection" on both forms (lib/pipeline/connection-check.ts): answers ok with the finding, or the reason on its field. */
export const testConnectionAction = defineAction({
  name: "runs.testConnection",
  audit: "connection.test",
  access: "user",
  schema: connectionCheckSchema,
  handler: async (input) => {
    const result = await checkConnection({ db, jenkins: serverJenkins() }, input);
    if (!result.ok) throw new DomainError(result.message, { field: fieldOfReason(result.reasonCode) });
    return { message: result.message, result: { reasonCode: result.reasonCode } };
  },
});
