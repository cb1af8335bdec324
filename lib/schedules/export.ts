import { dump } from "js-yaml";
import { projectVariables, SCHEDULE_TEMPLATE } from "./job-xml";
import type { ScheduleDefinition } from "./schema";

/**
 * Every schedule as a JJB `- project:` entry for jenkins-jobs/schedule.yaml, for teams that keep
 * their Jenkins jobs in git. Rendered with the repository's jenkins-jobs/ directory
 * (`jenkins-jobs test jenkins-jobs/:schedules.yaml`) it gives exactly the jobs the portal pushes.
 */
export function exportSchedulesYaml(schedules: readonly ScheduleDefinition[], callbackUrl: string, generatedAt = new Date()): string {
  const header = [
    "# Restore Drill schedules as Jenkins Job Builder projects (template: jenkins-jobs/schedule.yaml).",
    `# Exported ${generatedAt.toISOString()}. Render with: jenkins-jobs test jenkins-jobs/:<this file>`,
    "# The portal manages these jobs; a job changed in Jenkins is reported as drift there.",
    "",
  ].join("\n");
  if (schedules.length === 0) return `${header}[]\n`;
  const projects = [...schedules]
    .sort((a, b) => a.jobName.localeCompare(b.jobName))
    .map((s) => ({ project: { name: s.jobName, ...projectVariables(s, callbackUrl), jobs: [SCHEDULE_TEMPLATE] } }));
  // No anchors/aliases and no line folding: the file is read by people and by JJB's YAML loader.
  return header + dump(projects, { noRefs: true, lineWidth: -1 });
}
