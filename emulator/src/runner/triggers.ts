import { isWorseOrEqual, STRING_PARAMETER_VALUE, type ParameterValue } from "../model/build-record";
import { hyperlink } from "../console/notes";
import { Folder, Job } from "../model/items";
import type { ResultName, TriggerConfig } from "../model/job-config";
import { upstreamCause } from "./causes";
import type { BuildContext } from "./context";
import { expandVariables, parseJavaProperties } from "./expand";
import { parametersForTrigger } from "./parameters";

// parameterized-trigger: TriggerBuilder (build step, optionally blocking) and
// BuildTrigger (post-build, fire and forget), with the plugin's console text.

export class StepAbort extends Error {}

/** ResultCondition.isMet */
export function conditionMet(condition: string, result: ResultName): boolean {
  switch (condition) {
    case "SUCCESS":
      return result === "SUCCESS";
    case "UNSTABLE":
      return result === "UNSTABLE";
    case "UNSTABLE_OR_BETTER":
      return !isWorseOrEqual(result, "FAILURE");
    case "UNSTABLE_OR_WORSE":
      return isWorseOrEqual(result, "UNSTABLE");
    case "FAILED":
      return result === "FAILURE";
    case "FAILED_OR_BETTER":
      return !isWorseOrEqual(result, "NOT_BUILT");
    case "ALWAYS":
      return true;
    default:
      return false;
  }
}

function resolveProjects(ctx: BuildContext, config: TriggerConfig): Job[] {
  const missing: string[] = [];
  const jobs: Job[] = [];
  for (const name of config.projects) {
    const item = ctx.host.store.resolveRelative(name, ctx.job.parent);
    if (item instanceof Job) jobs.push(item);
    else if (!(item instanceof Folder)) missing.push(name);
  }
  if (missing.length > 0) {
    throw new StepAbort(
      `Build aborted. Can't trigger undefined projects. ${missing.length} of the below project(s) can't be resolved:\n` +
        missing.map((m) => ` > ${m}\n`).join("") +
        "Check your configuration!",
    );
  }
  return jobs;
}

/**
 * BuildTriggerConfig.getBaseActions: each parameter source in config order
 * yields values, merged by name with the later source winning
 * (ParameterizedTriggerUtils.mergeParameters). CurrentBuildParameters copies
 * the build's values with their types (file parameters excepted);
 * PredefinedBuildParameters makes StringParameterValues expanded with the
 * build's environment. Undefined when nothing is to be triggered.
 */
function givenParameters(ctx: BuildContext, config: TriggerConfig): ParameterValue[] | undefined {
  const merged = new Map<string, ParameterValue>();
  for (const source of config.parameterSources) {
    if (source.type === "current") {
      if (!ctx.record.parameters) {
        ctx.log.println("[parameterized-trigger] Current build has no parameters.");
        continue;
      }
      for (const p of ctx.record.parameters) if (!p.className.endsWith("FileParameterValue")) merged.set(p.name, { ...p });
    } else if (source.type === "predefined") {
      for (const [name, value] of parseJavaProperties(source.properties)) {
        merged.set(name, { className: STRING_PARAMETER_VALUE, name, value: expandVariables(value, ctx.env), sensitive: false });
      }
    }
  }
  return config.parameterSources.length > 0 || config.triggerWithNoParameters ? [...merged.values()] : undefined;
}

/**
 * NodeParameters.getAction: a NodeAction (a LabelAssignmentAction) whose label is the
 * triggering build's node — Label.get(getBuiltOnStr()), or the built-in node's self label
 * when builtOn is "" — so the triggered build runs on that node, whatever its job's label.
 */
function sameNodeLabel(ctx: BuildContext, config: TriggerConfig): string | undefined {
  if (!config.parameterSources.some((s) => s.type === "node")) return undefined;
  const label = ctx.node.isBuiltIn ? "built-in" : ctx.node.name;
  ctx.log.println(`Returning node parameter for ${label}`);
  return label;
}

function schedule(ctx: BuildContext, job: Job, given: ParameterValue[], config: TriggerConfig) {
  const parameters: ParameterValue[] | null = parametersForTrigger(job, given);
  const undeclared = given.filter((value) => !job.def.parameters.some((def) => def.name === value.name));
  const cause = upstreamCause(ctx.job.fullName, ctx.record.number, ctx.job.urlPath, ctx.record.causes);
  return ctx.host.queue.schedule(job, parameters, [cause], ctx.host.quietPeriodMs(job), sameNodeLabel(ctx, config), undeclared).item;
}

function canBeScheduled(job: Job): boolean {
  return !job.disabled;
}

/** TriggerBuilder.perform; returns false when the build step must fail. */
export async function performTriggerBuilder(ctx: BuildContext, configs: TriggerConfig[]): Promise<boolean> {
  let stepResult = true;
  for (const config of configs) {
    const jobs = resolveProjects(ctx, config);
    if (!conditionMet(config.condition, ctx.result)) continue;
    const supplied = givenParameters(ctx, config);
    if (!config.block) {
      if (supplied) for (const job of jobs.filter(canBeScheduled)) schedule(ctx, job, supplied, config);
      ctx.log.println(`Triggering projects: ${jobs.map((j) => j.fullDisplayName).join(", ")}`);
      continue;
    }
    for (const job of jobs) {
      if (!canBeScheduled(job)) {
        ctx.log.println(
          `Skipping ${job.fullDisplayName}. The project is either disabled, or the authenticated user unknown has no Item.BUILD permissions, or the configuration has not been saved yet.`,
        );
        continue;
      }
      if (!supplied) {
        ctx.log.println(`Skipping ${job.fullDisplayName}. The project was not triggered by some reason.`);
        continue;
      }
      const item = schedule(ctx, job, supplied, config);
      ctx.log.println(`Waiting for the completion of ${hyperlink(`/${job.urlPath}`, job.fullDisplayName)}`);
      const started = await raceAbort(ctx, item.started);
      if (started === "aborted") {
        ctx.log.println(`Build aborting: cancelling queued project ${hyperlink(`/${job.urlPath}`, job.fullDisplayName)}`);
        ctx.host.queue.cancel(item);
        throw new StepAbort("aborted");
      }
      if (!started) throw new StepAbort(`${job.fullDisplayName} aborted.`);
      ctx.log.println(`${hyperlink(`/${job.urlPath}${started.number}/`, `${job.fullDisplayName} #${started.number}`)} started.`);
      const completed = await raceAbort(ctx, item.completed);
      if (completed === "aborted") throw new StepAbort("aborted");
      const result = completed?.result ?? "ABORTED";
      ctx.log.println(
        `${hyperlink(`/${job.urlPath}${started.number}/`, `${job.fullDisplayName} #${started.number}`)} completed. Result was ${result}`,
      );
      const block = config.block;
      if (stepResult && !(block.buildStepFailure && isWorseOrEqual(result, block.buildStepFailure))) {
        const mapped =
          block.failure && isWorseOrEqual(result, block.failure)
            ? "FAILURE"
            : block.unstable && isWorseOrEqual(result, block.unstable)
              ? "UNSTABLE"
              : undefined;
        // Run.setResult only ever makes a result worse.
        if (mapped) ctx.result = worse(ctx.result, mapped);
      } else {
        stepResult = false;
      }
    }
  }
  return stepResult;
}

function worse(a: ResultName, b: ResultName): ResultName {
  return isWorseOrEqual(a, b) ? a : b;
}

async function raceAbort<T>(ctx: BuildContext, promise: Promise<T>): Promise<T | "aborted"> {
  if (ctx.abortSignal.aborted) return "aborted";
  return Promise.race([
    promise,
    new Promise<"aborted">((resolve) => ctx.abortSignal.addEventListener("abort", () => resolve("aborted"), { once: true })),
  ]);
}

/** BuildTrigger (post-build): fire and forget. */
export function performBuildTrigger(ctx: BuildContext, configs: TriggerConfig[]): void {
  for (const config of configs) {
    if (!conditionMet(config.condition, ctx.result)) continue;
    const supplied = givenParameters(ctx, config);
    if (!supplied) continue;
    for (const job of resolveProjects(ctx, config)) {
      if (!canBeScheduled(job)) continue;
      ctx.log.println(`Triggering a new build of ${job.fullDisplayName}`);
      schedule(ctx, job, supplied, config);
    }
  }
}
