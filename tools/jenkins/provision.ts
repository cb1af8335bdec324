import { randomBytes } from "node:crypto";
import { buildSecretTextCredentialXml } from "../../lib/credentials/jenkins-xml";
import { isJenkinsError, type JenkinsAdapter } from "../../lib/jenkins";
import { xmlFingerprint } from "../../lib/jenkins/normalize-xml";
import type { ProvisionState } from "./provision-state";
import type { RenderedJob } from "./render-jobs";

// Brings Jenkins in line with the rendered jobs, one job at a time. Managed =
// rendered from jenkins-jobs/: no other job is ever read, changed or deleted.
//
//   absent in Jenkins                                   → create           "created"
//   Jenkins holds the rendered config                   → nothing          "unchanged"
//   Jenkins holds what we left there, render unchanged  → nothing          "unchanged"
//   Jenkins holds what we left there, render changed    → update           "updated"
//   Jenkins holds something else (edited there, or never
//   provisioned by this tool and different)             → left alone       "drifted"
//                                                         (--force: update "updated")

export type JobOutcome = "created" | "updated" | "unchanged" | "drifted" | "failed";

export interface JobReport {
  name: string;
  outcome: JobOutcome;
  detail?: string;
}

export interface ProvisionOptions {
  jenkins: JenkinsAdapter;
  jobs: RenderedJob[];
  state: ProvisionState;
  force?: boolean;
}

export async function provisionJobs({ jenkins, jobs, state, force = false }: ProvisionOptions): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const job of jobs) {
    try {
      reports.push(await provisionJob(jenkins, job, state, force));
    } catch (error) {
      // Unreachable / unauthorized stop the run: every further job would fail the same way.
      if (isJenkinsError(error) && ["unreachable", "timeout", "unauthorized"].includes(error.kind)) throw error;
      reports.push({ name: job.name, outcome: "failed", detail: error instanceof Error ? error.message : String(error) });
    } finally {
      await state.save();
    }
  }
  return reports;
}

async function provisionJob(jenkins: JenkinsAdapter, job: RenderedJob, state: ProvisionState, force: boolean): Promise<JobReport> {
  const server = jenkins.url;
  const rendered = xmlFingerprint(job.xml);
  const current = await currentConfig(jenkins, job.name);
  const remember = async () => {
    const served = xmlFingerprint(await jenkins.getJobConfig(job.name));
    state.set(server, job.name, { rendered, jenkins: served, provisionedAt: new Date().toISOString() });
  };

  if (current === null) {
    await jenkins.createJob(job.name, job.xml);
    await remember();
    return { name: job.name, outcome: "created" };
  }

  const served = xmlFingerprint(current);
  const last = state.get(server, job.name);
  if (served === rendered) {
    state.set(server, job.name, { rendered, jenkins: served, provisionedAt: last?.provisionedAt ?? new Date().toISOString() });
    return { name: job.name, outcome: "unchanged" };
  }
  const untouchedSinceLastRun = last !== undefined && served === last.jenkins;
  if (untouchedSinceLastRun && last.rendered === rendered) return { name: job.name, outcome: "unchanged" };
  if (!untouchedSinceLastRun && !force) {
    const detail = last
      ? "edited in Jenkins since it was last provisioned"
      : "differs from the rendered job and was not provisioned from this machine's state";
    return { name: job.name, outcome: "drifted", detail: `${detail}; left alone (use --force to overwrite)` };
  }
  await jenkins.updateJobConfig(job.name, job.xml);
  await remember();
  return { name: job.name, outcome: "updated", detail: untouchedSinceLastRun ? undefined : "overwrote changes made in Jenkins (--force)" };
}

async function currentConfig(jenkins: JenkinsAdapter, name: string): Promise<string | null> {
  try {
    return await jenkins.getJobConfig(name);
  } catch (error) {
    if (isJenkinsError(error, "not-found")) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------
// The callback secret the pipeline's callback job binds by a fixed id.

export const CALLBACK_CREDENTIAL_ID = "restore-drill-callback";

export function jobsBindCredential(jobs: RenderedJob[], id: string): boolean {
  return jobs.some((job) => job.xml.includes(`<credentialsId>${id}</credentialsId>`));
}

/**
 * Creates the secret-text credential when it is missing: the value of
 * RESTORE_DRILL_CALLBACK_SECRET if set (so the portal can share it), otherwise
 * 32 random bytes. An existing credential is never read or changed; the value
 * is never printed.
 */
export async function ensureCallbackCredential(jenkins: JenkinsAdapter, secretFromEnv: string | undefined): Promise<"created" | "present"> {
  if (await jenkins.credentialExists(CALLBACK_CREDENTIAL_ID)) return "present";
  const secret = secretFromEnv || randomBytes(32).toString("hex");
  await jenkins.createCredential(
    buildSecretTextCredentialXml({
      id: CALLBACK_CREDENTIAL_ID,
      description: "Restore Drill: HMAC key signing the report the callback job posts to the portal",
      secret,
    }),
  );
  return "created";
}
