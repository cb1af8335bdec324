import type { JenkinsError } from "@/lib/jenkins";

// Plain-language sentences for Jenkins faults, for the run form and the run page. They name
// the setting to check, never a secret.

export function jenkinsFaultMessage(error: JenkinsError, context: { jenkinsUrl: string; job?: string }): string {
  const where = context.jenkinsUrl;
  switch (error.kind) {
    case "unreachable":
      return error.status
        ? `Jenkins at ${where} is not answering (HTTP ${error.status}) — it may be restarting. Try again in a minute.`
        : `Jenkins is unreachable at ${where} — check that it is running and that JENKINS_URL is right.`;
    case "timeout":
      return `Jenkins at ${where} did not answer in time (JENKINS_TIMEOUT_MS) — it may be overloaded or restarting. Try again in a minute.`;
    case "unauthorized":
      return "Jenkins refused the portal's credentials (401) — check JENKINS_USER/JENKINS_API_TOKEN";
    case "forbidden":
      if (error.status === 404)
        return "The portal's Jenkins user cannot read jobs: Jenkins shows it none (grant it Job/Read; on a Jenkins without jobs yet, run npm run jobs:provision).";
      return "Jenkins' user for the portal lacks a permission (403) — it needs Overall/Read, Job/Read, Job/Build, Job/Cancel and Credentials/View.";
    case "not-found":
      return context.job
        ? `The job ${context.job} does not exist in Jenkins — run npm run jobs:provision`
        : `Jenkins at ${where} answered 404 — check JENKINS_URL (and its context path).`;
    case "conflict":
      return context.job
        ? `Jenkins refused to start ${context.job}: the job is disabled. Enable it in Jenkins, or run npm run jobs:provision -- --force.`
        : `Jenkins refused the request: ${error.message}`;
    case "rejected":
      return `Jenkins refused the request (HTTP ${error.status ?? "4xx"}) — ${error.message}`;
    case "bad-response":
      return error.status && error.status >= 500
        ? `Jenkins at ${where} failed with an internal error (HTTP ${error.status}) — see Jenkins' own log.`
        : `Jenkins at ${where} gave an answer the portal could not use — is JENKINS_URL really a Jenkins server?`;
  }
}
