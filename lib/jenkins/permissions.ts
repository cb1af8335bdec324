import { JenkinsError } from "./errors";

// A Jenkins user with Overall/Read but without Job/Read is told nothing: every job and build
// answers 404 (Jenkins.getItem returns null for an item the user may not read or discover) and
// the root lists no jobs. So a 404 on a job is only "the job is missing" when the same user can
// see at least one job; when it sees none, the likelier cause is the missing permission, and a
// caller must not treat the run or schedule as gone. (A Jenkins with no jobs at all looks the
// same; the message says what to do in both cases.)

export const CANNOT_READ_JOBS =
  "the portal's Jenkins user cannot read jobs: Jenkins lists it none and answers 404 for each (grant it Job/Read; on a Jenkins without any job yet, run npm run jobs:provision)";

/** Operations addressed to a job or one of its builds (not job.create: its 404 means something else). */
function isJobScoped(operation: string): boolean {
  return (operation.startsWith("job.") && !operation.startsWith("job.create")) || operation.startsWith("build.");
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
