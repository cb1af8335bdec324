import { PIPELINE_JOB } from "./build-parameters";
import { LOCAL_ONLY, sandboxOptionsOf, type SandboxOptions } from "./sandbox-options";

/** The pipeline job's options; a Jenkins that cannot say is asked for nothing beyond the local sandbox. */
export async function readSandboxOptions(jenkins: {
  getJobParameterDefinitions(name: string): Promise<{ name: string; choices?: string[] }[]>;
}): Promise<SandboxOptions> {
  try {
    return sandboxOptionsOf(await jenkins.getJobParameterDefinitions(PIPELINE_JOB));
  } catch {
    return LOCAL_ONLY;
  }
}
