import { pipelineJobFor } from "@/lib/pipeline/build-parameters";
import { SCHEDULE_PARAMETERS, templateVariableOf, type PipelineParameter } from "@/lib/pipeline/parameters";
import type { RunParameters } from "@/lib/pipeline/schemas";
import { describeWhen, timerSpec } from "./cron";
import type { ScheduleDefinition } from "./schema";

// A schedule's Jenkins job, rendered by the portal itself. It must be exactly what
// `jenkins-jobs test` renders from jenkins-jobs/schedule.yaml with the `- project:` entry
// below (projectVariables) on top of jenkins-jobs/defaults.yaml: one set of variables feeds
// both the XML and the JJB export, and tests/integration/schedules/jjb-render.test.ts
// compares the two job for job. Change the template and this file together.

export const SCHEDULE_JOB_PREFIX = "restore-drill-schedule-";
export const SCHEDULE_TEMPLATE = `${SCHEDULE_JOB_PREFIX}{slug}`;

/** Jenkins-safe slug of a schedule name: lower case, [a-z0-9-], at most 40 characters. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "schedule";
}

/**
 * The per-click build parameter (issue 19): "Run now" sends the click's token in it, so two deliberate clicks
 * differ in their parameters and Jenkins' queue does not merge the second into the first while it waits
 * (Queue#schedule2 / ParametersAction.shouldSchedule merge items with equal parameters). Timer builds leave it empty.
 * Declared last in jenkins-jobs/schedule.yaml with exactly this name and description.
 */
export const RUN_NOW_CLICK_PARAMETER = {
  name: "RUN_NOW_CLICK",
  description: "Token of the portal's Run now click (empty for timer builds): two clicks are two builds, never merged in the queue.",
} as const;

export const jobNameFor = (slug: string) => `${SCHEDULE_JOB_PREFIX}${slug}`;
export const slugOfJobName = (jobName: string) => jobName.slice(SCHEDULE_JOB_PREFIX.length);

/** The schedule's parameters as JJB template variables: backupHostKey → "backup-host-key". */
function parameterVariables(p: RunParameters): Record<string, string> {
  const values: Record<string, unknown> = p;
  return Object.fromEntries(SCHEDULE_PARAMETERS.map((row) => [templateVariableOf(row.key), String(values[row.key] ?? row.jenkinsDefault)]));
}

/** The JJB project variables of one schedule (all strings, as the template formats them). */
export function projectVariables(schedule: ScheduleDefinition, callbackUrl: string): Record<string, string | boolean> {
  const p = schedule.parameters;
  return {
    slug: slugOfJobName(schedule.jobName),
    "schedule-name": schedule.name,
    "schedule-id": schedule.id,
    when: describeWhen(schedule.when),
    disabled: !schedule.enabled,
    ...parameterVariables(p),
    "timer-spec": timerSpec(schedule.when),
    "pipeline-job": pipelineJobFor(p),
    "callback-url": callbackUrl,
    "allowed-path-prefixes": schedule.allowedPathPrefixes ?? "",
    "image-allowlist": schedule.imageAllowlist ?? "",
  };
}

// JJB's defaults.yaml (global): node, build discarder. Kept in step by the render test.
const NODE_LABEL = "restore-drill";
const DISCARD_DAYS = 90;
const DISCARD_NUM = 500;
const JJB_MARKER = "<!-- Managed by Jenkins Job Builder -->";

/** Escapes text as JJB's XML writer does (quotes included). */
function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const el = (indent: string, tag: string, text: string) => (text === "" ? `${indent}<${tag}/>` : `${indent}<${tag}>${esc(text)}</${tag}>`);

function stringParameter(name: string, description: string, value: string): string {
  const i = "        ";
  return [
    `${i}<hudson.model.StringParameterDefinition>`,
    el(`${i}  `, "name", name),
    el(`${i}  `, "description", description),
    el(`${i}  `, "defaultValue", value),
    `${i}  <trim>false</trim>`,
    `${i}</hudson.model.StringParameterDefinition>`,
  ].join("\n");
}

function credentialsParameter(name: string, description: string, value: string, type: string, required: boolean): string {
  const i = "        ";
  return [
    `${i}<com.cloudbees.plugins.credentials.CredentialsParameterDefinition>`,
    el(`${i}  `, "name", name),
    el(`${i}  `, "description", description),
    el(`${i}  `, "defaultValue", value),
    `${i}  <credentialType>${type}</credentialType>`,
    `${i}  <required>${required}</required>`,
    `${i}</com.cloudbees.plugins.credentials.CredentialsParameterDefinition>`,
  ].join("\n");
}

function choiceParameter(name: string, description: string, value: string): string {
  const i = "        ";
  return [
    `${i}<hudson.model.ChoiceParameterDefinition>`,
    el(`${i}  `, "name", name),
    el(`${i}  `, "description", description),
    `${i}  <choices class="java.util.Arrays$ArrayList">`,
    `${i}    <a class="string-array">`,
    el(`${i}      `, "string", value),
    `${i}    </a>`,
    `${i}  </choices>`,
    `${i}</hudson.model.ChoiceParameterDefinition>`,
  ].join("\n");
}

/** One parameter of the schedule's job, declared as jenkins-jobs/schedule.yaml declares it. */
function parameterDefinition(row: PipelineParameter, value: string): string {
  const d = row.declaration;
  if (d.kind === "credentials") return credentialsParameter(row.jenkins, row.scheduleJobDescription, value, d.credentialType, d.required);
  if (d.kind === "choice") return choiceParameter(row.jenkins, row.scheduleJobDescription, value);
  return stringParameter(row.jenkins, row.scheduleJobDescription, value);
}

/** The job's config.xml, as `jenkins-jobs test` writes it for this schedule. */
export function renderScheduleJobXml(schedule: ScheduleDefinition, callbackUrl: string): string {
  const v = projectVariables(schedule, callbackUrl);
  const s = (key: string) => String(v[key]);
  const description = `Restore Drill schedule "${s("schedule-name")}" (${s("schedule-id")}): ${s("when")}. Managed by the Restore Drill portal; change it there, edits made here are reported as drift.${JJB_MARKER}`;
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<project>`,
    `  <actions/>`,
    el("  ", "description", description),
    `  <keepDependencies>false</keepDependencies>`,
    `  <disabled>${v.disabled ? "true" : "false"}</disabled>`,
    `  <blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>`,
    `  <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>`,
    `  <concurrentBuild>false</concurrentBuild>`,
    `  <assignedNode>${NODE_LABEL}</assignedNode>`,
    `  <canRoam>false</canRoam>`,
    `  <properties>`,
    `    <jenkins.model.BuildDiscarderProperty>`,
    `      <strategy class="hudson.tasks.LogRotator">`,
    `        <daysToKeep>${DISCARD_DAYS}</daysToKeep>`,
    `        <numToKeep>${DISCARD_NUM}</numToKeep>`,
    `        <artifactDaysToKeep>-1</artifactDaysToKeep>`,
    `        <artifactNumToKeep>-1</artifactNumToKeep>`,
    `      </strategy>`,
    `    </jenkins.model.BuildDiscarderProperty>`,
    `    <hudson.model.ParametersDefinitionProperty>`,
    `      <parameterDefinitions>`,
    ...SCHEDULE_PARAMETERS.map((row) => parameterDefinition(row, s(templateVariableOf(row.key)))),
    stringParameter(RUN_NOW_CLICK_PARAMETER.name, RUN_NOW_CLICK_PARAMETER.description, ""),
    `      </parameterDefinitions>`,
    `    </hudson.model.ParametersDefinitionProperty>`,
    `  </properties>`,
    `  <scm class="hudson.scm.NullSCM"/>`,
    `  <triggers class="vector">`,
    `    <hudson.triggers.TimerTrigger>`,
    el("      ", "spec", s("timer-spec")),
    `    </hudson.triggers.TimerTrigger>`,
    `  </triggers>`,
    `  <builders>`,
    `    <hudson.plugins.parameterizedtrigger.TriggerBuilder>`,
    `      <configs>`,
    `        <hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig>`,
    `          <configs>`,
    `            <hudson.plugins.parameterizedtrigger.CurrentBuildParameters/>`,
    `            <hudson.plugins.parameterizedtrigger.PredefinedBuildParameters>`,
    el(
      "              ",
      "properties",
      `RUN_ID=\nCALLBACK_URL=${s("callback-url")}\nSCHEDULE_NAME=${s("schedule-name")}\nALLOWED_PATH_PREFIXES=${s("allowed-path-prefixes")}\n` +
        `IMAGE_ALLOWLIST=${s("image-allowlist")}\n`,
    ),
    `            </hudson.plugins.parameterizedtrigger.PredefinedBuildParameters>`,
    `          </configs>`,
    el("          ", "projects", s("pipeline-job")),
    `          <condition>ALWAYS</condition>`,
    `          <triggerWithNoParameters>false</triggerWithNoParameters>`,
    `          <buildAllNodesWithLabel>false</buildAllNodesWithLabel>`,
    `        </hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig>`,
    `      </configs>`,
    `    </hudson.plugins.parameterizedtrigger.TriggerBuilder>`,
    `  </builders>`,
    `  <publishers/>`,
    `  <buildWrappers/>`,
    `</project>`,
    "",
  ].join("\n");
}

/**
 * The schedule id a job's config.xml names in the portal's marker (the description written by
 * renderScheduleJobXml), or null for a job the portal did not make. Reads what Jenkins serves,
 * which may escape the quotes differently.
 */
export function scheduleIdOfJobXml(configXml: string): string | null {
  const description = /<description>([\s\S]*?)<\/description>/.exec(configXml)?.[1] ?? "";
  const marked =
    /^Restore Drill schedule (?:&quot;|")[\s\S]*?(?:&quot;|") \(([a-z0-9]{25})\): [\s\S]*Managed by the Restore Drill portal;/.exec(
      description,
    );
  return marked?.[1] ?? null;
}
