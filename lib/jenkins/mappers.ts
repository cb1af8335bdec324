import type { BuildCause, BuildResult, BuildStatus, BuildSummary, JobSummary, QueueState } from "./types";
import {
  ACTION_CLASS,
  CAUSE_CLASS,
  QUEUE_ITEM_CLASS,
  type VendorAction,
  type VendorBuild,
  type VendorBuildListEntry,
  type VendorCause,
  type VendorJob,
  type VendorQueueItem,
} from "./vendor-types";

// Vendor JSON → app types. Actions and causes are found by _class, never by
// position (contract §3).

/** Plugins may add results; they pass through unchanged rather than failing the read. */
function toResult(result: string | null): BuildResult | null {
  return result as BuildResult | null;
}

export function toQueueState(item: VendorQueueItem): QueueState {
  const base = { queueId: item.id, jobName: item.task?.name, why: item.why ?? undefined };
  if (item._class === QUEUE_ITEM_CLASS.left || item.cancelled !== undefined || item.executable !== undefined) {
    if (item.cancelled) return { ...base, state: "cancelled", why: undefined };
    if (item.executable) return { ...base, state: "left", buildNumber: item.executable.number, why: undefined };
    // A left item without an executable and not cancelled: the build is being created.
    return { ...base, state: "left", why: undefined };
  }
  if (item._class === QUEUE_ITEM_CLASS.blocked || item.blocked) return { ...base, state: "blocked" };
  if (item._class === QUEUE_ITEM_CLASS.buildable || item.buildable) return { ...base, state: "buildable" };
  return { ...base, state: "waiting" };
}

function actionsOfClass(actions: VendorBuild["actions"], className: string): VendorAction[] {
  return (actions ?? []).filter((action): action is VendorAction => action !== null && action._class === className);
}

function toParameters(actions: VendorBuild["actions"]): Record<string, string | null> {
  const parameters: Record<string, string | null> = {};
  for (const action of actionsOfClass(actions, ACTION_CLASS.parameters)) {
    for (const parameter of action.parameters ?? []) {
      parameters[parameter.name] = parameter.value === undefined || parameter.value === null ? null : String(parameter.value);
    }
  }
  return parameters;
}

export function toCause(cause: VendorCause): BuildCause {
  const description = cause.shortDescription ?? "";
  switch (cause._class) {
    case CAUSE_CLASS.user:
      return { kind: "user", description, userId: cause.userId ?? null };
    case CAUSE_CLASS.remote:
      return { kind: "remote", description, address: cause.addr ?? null, note: cause.note ?? null };
    case CAUSE_CLASS.timer:
      return { kind: "timer", description };
    case CAUSE_CLASS.upstream:
      if (cause.upstreamProject !== undefined && cause.upstreamBuild !== undefined) {
        return { kind: "upstream", description, upstreamJob: cause.upstreamProject, upstreamBuild: cause.upstreamBuild };
      }
      break;
  }
  return { kind: "other", description, className: cause._class ?? null };
}

/** Jenkins names the controller's own node "built-in" (NODE_NAME) but reports builtOn "" for it. */
export const BUILT_IN_NODE = "built-in";

export function toBuildStatus(build: VendorBuild): BuildStatus {
  return {
    number: build.number,
    building: build.building,
    result: toResult(build.result),
    startedAt: new Date(build.timestamp),
    durationMs: build.duration,
    queueId: build.queueId ?? null,
    agent: build.builtOn === undefined ? null : build.builtOn || BUILT_IN_NODE,
    parameters: toParameters(build.actions),
    causes: actionsOfClass(build.actions, ACTION_CLASS.causes).flatMap((action) => (action.causes ?? []).map(toCause)),
    artifacts: (build.artifacts ?? []).map(({ fileName, relativePath }) => ({ fileName, relativePath })),
  };
}

export function toBuildSummary(build: VendorBuildListEntry): BuildSummary {
  return {
    number: build.number,
    building: build.building,
    result: toResult(build.result),
    startedAt: new Date(build.timestamp),
    durationMs: build.duration,
    queueId: build.queueId ?? null,
  };
}

export function toJobSummary(job: VendorJob): JobSummary {
  return {
    name: job.name,
    fullName: job.fullName ?? job.name,
    description: job.description ?? "",
    buildable: job.buildable ?? !job.disabled,
    disabled: job.disabled ?? job.color === "disabled",
    inQueue: job.inQueue ?? false,
    nextBuildNumber: job.nextBuildNumber ?? null,
    lastBuildNumber: job.lastBuild?.number ?? null,
  };
}
