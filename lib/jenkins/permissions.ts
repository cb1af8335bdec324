import { JenkinsError } from "./errors";

// A Jenkins user with Overall/Read but without Job/Read is told nothing: every job and build
// answers 404 (Jenkins.getItem returns null for an item the user may not read or discover) and
// the root lists no jobs. So a 404 on a build is only "the build is gone" when the same user can
// see at least one job; when it sees none, the cause is the missing permission (or a Jenkins
// emptied under the portal — the message names both), and a caller must not close the run as
// vanished.

export const CANNOT_READ_JOBS =
  "the portal's Jenkins user cannot read jobs: Jenkins lists it none and answers 404 for each (grant it Job/Read; on a Jenkins without any job yet, run npm run jobs:provision)";

/**
 * Operations on builds, and starting one: the portal only asks for a build it knows of and only
 * starts provisioned jobs, so "no job visible at all" points at the permission. Reading or
 * writing a job's config is left alone — provisioning and schedules do that on purpose against
 * a Jenkins that may not have the job (or any job) yet.
 */
function isJobScoped(operation: string): boolean {
  return operation.startsWith("build.") || operation.startsWith("job.build ") || operation.startsWith("job.builds ");
}

/**
 * Turns a job-scoped not-found into a `forbidden` error (status 404) when the user sees no job at
 * all. `visibleJobCount` reads the root's job list; if that fails too, the original error stands.
 */
export async function explainJobNotFound(error: JenkinsError, visibleJobCount: () => Promise<number>): Promise<JenkinsError> {
  if (error.kind !== "not-found" || !isJobScoped(error.operation)) return error;
  let count: number;
  try {
    count = await visibleJobCount();
  } catch {
    return error;
  }
  return count > 0 ? error : new JenkinsError("forbidden", error.operation, CANNOT_READ_JOBS, 404);
}
