import { JenkinsError, isJenkinsError } from "./errors";
import { toJobSummary } from "./mappers";
import { jobNameSchema, jobPath } from "./paths";
import { z } from "zod";
import type { JenkinsTransport } from "./transport";
import type { JobSummary } from "./types";
import { vendorJobSchema, vendorRootSchema } from "./vendor-types";

// Job CRUD through the npm `jenkins` client: these calls match Jenkins'
// statuses exactly (create 2xx; delete/enable/disable 302).

const JOB_TREE = "name,fullName,description,buildable,disabled,color,inQueue,nextBuildNumber,lastBuild[number]";

/** Confirms Jenkins answers and accepts the configured credentials (GET /api/json needs Overall/Read). */
export async function checkConnection(transport: JenkinsTransport): Promise<void> {
  const root = await transport.client("connect", true, (client) => client.info({ tree: "jobs[name]{0,1}" }));
  if (!vendorRootSchema.safeParse(root).success) {
    throw new JenkinsError("bad-response", "connect", `${transport.config.url} does not look like Jenkins`);
  }
}

/** Names of the top-level jobs (GET /api/json?tree=jobs[name]). */
export async function listJobNames(transport: JenkinsTransport): Promise<string[]> {
  const root = vendorRootSchema.safeParse(await transport.client("jobs.list", true, (client) => client.info({ tree: "jobs[name]" })));
  if (!root.success) throw new JenkinsError("bad-response", "jobs.list", "the job list has an unexpected shape");
  return (root.data.jobs ?? []).map((j) => j.name);
}

export async function getJob(transport: JenkinsTransport, name: string): Promise<JobSummary> {
  const jobName = jobNameSchema.parse(name);
  const json = await transport.client(`job.get ${jobName}`, true, (client) => client.job.get(jobName, { tree: JOB_TREE }));
  const parsed = vendorJobSchema.safeParse(json);
  if (!parsed.success) throw new JenkinsError("bad-response", `job.get ${jobName}`, "the job JSON has an unexpected shape");
  return toJobSummary(parsed.data);
}

export async function jobExists(transport: JenkinsTransport, name: string): Promise<boolean> {
  try {
    await getJob(transport, name);
    return true;
  } catch (error) {
    if (isJenkinsError(error, "not-found")) return false;
    // A Jenkins that lists no job at all: the job is not there (or not readable, which a later
    // create or update reports in its own words).
    if (isJenkinsError(error, "forbidden") && error.status === 404) return false;
    throw error;
  }
}

/** The job's config.xml as Jenkins serves it (re-serialised, not byte-identical to what was posted). */
export async function getJobConfig(transport: JenkinsTransport, name: string): Promise<string> {
  const jobName = jobNameSchema.parse(name);
  return transport.client(`job.config ${jobName}`, true, (client) => client.job.config(jobName));
}

/** Creates a job (in its folder for "folder/name"); a taken name is a `conflict`. */
export async function createJob(transport: JenkinsTransport, name: string, configXml: string): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  await transport.client(`job.create ${jobName}`, false, (client) => client.job.create(jobName, configXml));
}

export async function updateJobConfig(transport: JenkinsTransport, name: string, configXml: string): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  await transport.client(`job.update ${jobName}`, false, (client) => client.job.config(jobName, configXml));
}

export async function deleteJob(transport: JenkinsTransport, name: string): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  await transport.client(`job.delete ${jobName}`, false, (client) => client.job.destroy(jobName));
}

export async function enableJob(transport: JenkinsTransport, name: string): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  await transport.client(`job.enable ${jobName}`, false, (client) => client.job.enable(jobName));
}

export async function disableJob(transport: JenkinsTransport, name: string): Promise<void> {
  const jobName = jobNameSchema.parse(name);
  await transport.client(`job.disable ${jobName}`, false, (client) => client.job.disable(jobName));
}

// GET /job/NAME/api/json?tree=property[parameterDefinitions[name,type,choices]]: Jenkins exports the
// job's ParametersDefinitionProperty among its properties, each definition with its name and type,
// and a ChoiceParameterDefinition its choices (a list of strings).
const PARAMETERS_TREE = "property[parameterDefinitions[name,type,choices]]";
const parameterDefinitionsSchema = z.object({
  property: z
    .array(
      z.object({
        parameterDefinitions: z
          .array(z.object({ name: z.string(), type: z.string().optional(), choices: z.array(z.string()).optional() }))
          .optional(),
      }),
    )
    .optional(),
});
export interface ParameterDefinition {
  name: string;
  type?: string;
  choices?: string[];
}

/** The build parameters a job declares (what its provisioned version accepts). */
export async function getJobParameterDefinitions(transport: JenkinsTransport, name: string): Promise<ParameterDefinition[]> {
  const jobName = jobNameSchema.parse(name);
  const operation = `job.parameters ${jobName}`;
  const parsed = parameterDefinitionsSchema.safeParse(
    await transport.getJson(operation, `${jobPath(jobName)}api/json`, { tree: PARAMETERS_TREE }),
  );
  if (!parsed.success) throw new JenkinsError("bad-response", operation, "the job's parameter definitions have an unexpected shape");
  return (parsed.data.property ?? []).flatMap((p) => p.parameterDefinitions ?? []);
}
