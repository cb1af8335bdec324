// What a restore test restores, under the names the forms, server actions, REST API and jobs
// import. It all derives from the pipeline-parameter table: lib/pipeline/parameters.ts.

export { DB_TYPES, DB_TYPE_LABELS } from "@/lib/pipeline/database-types";
export { SANDBOX_PROVIDERS } from "@/lib/pipeline/sandbox-providers";
export {
  JENKINS_CREDENTIAL_ID,
  backupHostSchema,
  backupPathSchema,
  backupPortSchema,
  hostKeySchema,
  imageReferenceSchema,
  notifyEmailsSchema,
  runParametersSchema,
  scheduleParametersSchema,
  type RunParameters,
  type RunParametersInput,
  type ScheduleParameters,
} from "@/lib/pipeline/schemas";
export { PIPELINE_GPG_JOB, PIPELINE_JOB, parametersOfBuild, pipelineJobFor, toBuildParameters } from "@/lib/pipeline/build-parameters";
