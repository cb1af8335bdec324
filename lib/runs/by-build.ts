import { z } from "zod";
import type { Db } from "@/lib/db/client";

// A build the pipeline's failure e-mail links to without a portal run id (a schedule's timer
// or "Run now" build has no RUN_ID): scripts/report.sh prints
// <portal>/runs/by-build/<JOB_NAME>/<BUILD_NUMBER>, and the page finds the run by the
// (jobName, buildNumber) key the reconciler and the callback record.

/** Jenkins job names as report.sh links them: no folders, no "." or ".." segment. */
export const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_BUILD_NUMBER = 2_147_483_647;

export const buildRefSchema = z.object({
  job: z.string().regex(JOB_NAME_PATTERN, "That is not a Jenkins job name."),
  build: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, "A build number is a positive whole number.")
    .transform(Number)
    .refine((n) => n <= MAX_BUILD_NUMBER, "That build number is too large."),
});

export type BuildRef = z.output<typeof buildRefSchema>;

/** The portal path report.sh links to for a build (kept in step with it by the failure-mail test). */
export const byBuildPath = (ref: BuildRef) => `/runs/by-build/${ref.job}/${ref.build}`;

/** The id of the run recorded for this build of this job, or null when the portal has not seen it yet. */
export async function runIdForBuild(db: Db, ref: BuildRef): Promise<string | null> {
  const run = await db.restoreRun.findUnique({
    where: { jobName_buildNumber: { jobName: ref.job, buildNumber: ref.build } },
    select: { id: true },
  });
  return run?.id ?? null;
}
