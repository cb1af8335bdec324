// npm run jobs:provision -- [--force] [--json] [--jobs-dir jenkins-jobs] [--state-file FILE]
//
// Renders jenkins-jobs/ with the real jenkins-jobs (JJB) and creates or updates
// every rendered job in the Jenkins named by JENKINS_URL / JENKINS_USER /
// JENKINS_API_TOKEN. Reports created / updated / unchanged / drifted per job;
// drifted jobs (edited in Jenkins) are left alone unless --force. Jobs that
// jenkins-jobs/ does not render are never touched.
//
// Exit status: 0 all jobs in line; 3 some jobs drifted and were left alone;
// 1 anything failed (Jenkins unreachable, credentials refused, render error).
import path from "node:path";
import { parseArgs } from "node:util";
import { createJenkinsAdapter, isJenkinsError, JenkinsConfigError, loadJenkinsConfig } from "../lib/jenkins";
import { CALLBACK_CREDENTIAL_ID, ensureCallbackCredential, jobsBindCredential, provisionJobs, type JobReport } from "./jenkins/provision";
import { defaultStateFile, ProvisionState } from "./jenkins/provision-state";
import { RenderError, renderJobs } from "./jenkins/render-jobs";

const EXIT_DRIFTED = 3;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      force: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      "jobs-dir": { type: "string", default: path.join(__dirname, "..", "jenkins-jobs") },
      "state-file": { type: "string" },
    },
  });
  const config = loadJenkinsConfig();
  const jenkins = createJenkinsAdapter(config);
  const jobs = await renderJobs(values["jobs-dir"]);
  await jenkins.checkConnection();

  const state = await ProvisionState.load(values["state-file"] ?? defaultStateFile());
  const credential = jobsBindCredential(jobs, CALLBACK_CREDENTIAL_ID)
    ? await ensureCallbackCredential(jenkins, process.env.RESTORE_DRILL_CALLBACK_SECRET)
    : null;
  const reports = await provisionJobs({ jenkins, jobs, state, force: values.force });

  if (values.json) {
    console.log(JSON.stringify({ jenkins: config.url, jobs: reports, callbackCredential: credential }, null, 2));
  } else {
    printReport(config.url, reports, credential);
  }
  if (reports.some((report) => report.outcome === "failed")) return 1;
  return reports.some((report) => report.outcome === "drifted") ? EXIT_DRIFTED : 0;
}

function printReport(url: string, reports: JobReport[], credential: "created" | "present" | null): void {
  console.log(`Jenkins ${url}: ${reports.length} managed jobs`);
  for (const { name, outcome, detail } of reports) console.log(`  ${outcome.padEnd(9)} ${name}${detail ? `  (${detail})` : ""}`);
  if (credential) console.log(`  credential ${CALLBACK_CREDENTIAL_ID}: ${credential}`);
  const counts = new Map<string, number>();
  for (const { outcome } of reports) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  console.log([...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", "));
}

function explain(error: unknown): string {
  if (error instanceof JenkinsConfigError || error instanceof RenderError) return error.message;
  if (isJenkinsError(error, "unreachable") || isJenkinsError(error, "timeout")) {
    return `Cannot reach Jenkins: ${error.message}. Check JENKINS_URL and that Jenkins is running.`;
  }
  if (isJenkinsError(error, "unauthorized")) return `Jenkins refused JENKINS_USER / JENKINS_API_TOKEN: ${error.message}`;
  if (isJenkinsError(error, "forbidden"))
    return `The Jenkins user may not do this (needs Overall/Read, Job/Create, Job/Configure, Credentials/Create): ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`jobs:provision: ${explain(error)}`);
    process.exit(1);
  },
);
