import { z } from "zod";
import { JenkinsError } from "./errors";
import { toQueueState } from "./mappers";
import { jobNameSchema, jobPath, queueIdSchema } from "./paths";
import type { JenkinsTransport } from "./transport";
import type { QueueState, TriggeredBuild } from "./types";
import { vendorQueueItemSchema } from "./vendor-types";

// Triggering and the queue. Trigger and cancel go through fetch: the npm client
// treats Jenkins' 303 (identical item already queued, ≥ 2.308) and 204 (cancel,
// ≥ 2.211) as errors.

const parametersSchema = z.record(z.string().min(1), z.string());

export interface TriggerOptions {
  /** Quiet period override in seconds (Jenkins' default is 5). */
  delaySeconds?: number;
}

/**
 * Queues a build. With `parameters` (even {}) it posts buildWithParameters as a
 * form body (values never go into the URL, which proxies log); without, /build.
 * Sent exactly once: a trigger is never retried.
 */
export async function triggerBuild(
  transport: JenkinsTransport,
  name: string,
  parameters?: Record<string, string>,
  options: TriggerOptions = {},
): Promise<TriggeredBuild> {
  const jobName = jobNameSchema.parse(name);
  const form = parameters === undefined ? undefined : parametersSchema.parse(parameters);
  const operation = `job.build ${jobName}`;
  const delay = options.delaySeconds === undefined ? undefined : `${z.number().int().min(0).parse(options.delaySeconds)}sec`;
  const response = await transport.http(operation, {
    method: "POST",
    path: `${jobPath(jobName)}${form ? "buildWithParameters" : "build"}`,
    query: { delay },
    // Jenkins answers 201; 303 sends us to the identical item already queued; older releases answer 302 for /build.
    form,
    expect: [201, 302, 303],
  });
  const queueId = queueIdFromLocation(response.headers.get("location"));
  if (queueId === null)
    throw new JenkinsError("bad-response", operation, "the build was queued but no queue item Location came back", response.status);
  return { queueId, joinedExisting: response.status === 303 };
}

/** ".../queue/item/42/" (trailing slash optional) → 42. */
export function queueIdFromLocation(location: string | null): number | null {
  const match = /\/queue\/item\/(\d+)\/?$/.exec(location ?? "");
  return match ? Number(match[1]) : null;
}

/** Left items expire after 5 minutes; after that this is `not-found`. */
export async function getQueueState(transport: JenkinsTransport, queueId: number): Promise<QueueState> {
  const id = queueIdSchema.parse(queueId);
  const json = await transport.client(`queue.item ${id}`, true, (client) => client.queue.item(id));
  const parsed = vendorQueueItemSchema.safeParse(json);
  if (!parsed.success) throw new JenkinsError("bad-response", `queue.item ${id}`, "the queue item JSON has an unexpected shape");
  return toQueueState(parsed.data);
}

export interface PollOptions {
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Follows a queue item until it becomes a build (state "left" with a
 * buildNumber) or is cancelled; resolves with that final state.
 */
export async function waitForQueueItem(transport: JenkinsTransport, queueId: number, options: PollOptions = {}): Promise<QueueState> {
  const { timeoutMs = 120_000, pollMs = 500, signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await getQueueState(transport, queueId);
    if (state.state === "cancelled" || (state.state === "left" && state.buildNumber !== undefined)) return state;
    if (Date.now() + pollMs > deadline) {
      throw new JenkinsError(
        "timeout",
        `queue.item ${queueId}`,
        `still ${state.state} after ${timeoutMs} ms${state.why ? ` (${state.why})` : ""}`,
      );
    }
    await sleep(pollMs, signal);
  }
}

/** Removes a waiting item from the queue (204; 302 on Jenkins < 2.211). Not retried. */
export async function cancelQueueItem(transport: JenkinsTransport, queueId: number): Promise<void> {
  const id = queueIdSchema.parse(queueId);
  await transport.http(`queue.cancel ${id}`, { method: "POST", path: "queue/cancelItem", query: { id }, expect: [204, 302] });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
