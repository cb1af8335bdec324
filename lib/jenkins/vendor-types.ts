import { z } from "zod";

// Shapes of what Jenkins' JSON API returns, as far as the adapter reads them
// (see /work/shared/reference/jenkins-contract.md §2–§4). Parsed with zod at the
// boundary; unknown fields are dropped, missing optional ones tolerated, because
// plugins and versions add and remove fields freely.

const classed = { _class: z.string().optional() };

export const vendorBuildRefSchema = z.object({ ...classed, number: z.number().int(), url: z.string().optional() });

export const vendorCauseSchema = z.looseObject({
  ...classed,
  shortDescription: z.string().optional(),
  userId: z.string().nullish(),
  userName: z.string().nullish(),
  upstreamProject: z.string().optional(),
  upstreamBuild: z.number().int().optional(),
  upstreamUrl: z.string().optional(),
  addr: z.string().optional(),
  note: z.string().nullish(),
});

export const vendorParameterValueSchema = z.object({
  ...classed,
  name: z.string(),
  // PasswordParameterValue and FileParameterValue export no value.
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});

/** Actions are heterogeneous (and `{}` for unexported ones); keep them loose and pick by _class. */
export const vendorActionSchema = z.looseObject({
  ...classed,
  causes: z.array(vendorCauseSchema).optional(),
  parameters: z.array(vendorParameterValueSchema).optional(),
});

export const vendorArtifactSchema = z.object({
  displayPath: z.string().nullish(),
  fileName: z.string(),
  relativePath: z.string(),
});

export const vendorBuildSchema = z.object({
  ...classed,
  number: z.number().int(),
  url: z.string().optional(),
  building: z.boolean(),
  result: z.string().nullable(),
  timestamp: z.number(),
  duration: z.number(),
  estimatedDuration: z.number().optional(),
  queueId: z.number().int().optional(),
  displayName: z.string().optional(),
  /** AbstractBuild.getBuiltOnStr: the node's name, "" for the built-in node. */
  builtOn: z.string().optional(),
  actions: z.array(z.union([vendorActionSchema, z.null()])).optional(),
  artifacts: z.array(vendorArtifactSchema).optional(),
});

export const vendorQueueItemSchema = z.object({
  _class: z.string(),
  id: z.number().int(),
  blocked: z.boolean().optional(),
  buildable: z.boolean().optional(),
  stuck: z.boolean().optional(),
  why: z.string().nullish(),
  inQueueSince: z.number().optional(),
  task: z.object({ ...classed, name: z.string().optional(), url: z.string().optional() }).optional(),
  // Only on Queue$LeftItem.
  cancelled: z.boolean().optional(),
  executable: vendorBuildRefSchema.nullish(),
});

export const vendorJobSchema = z.object({
  ...classed,
  name: z.string(),
  fullName: z.string().optional(),
  url: z.string().optional(),
  description: z.string().nullish(),
  buildable: z.boolean().optional(),
  disabled: z.boolean().optional(),
  color: z.string().optional(),
  inQueue: z.boolean().optional(),
  nextBuildNumber: z.number().int().optional(),
  lastBuild: vendorBuildRefSchema.nullish(),
  lastCompletedBuild: vendorBuildRefSchema.nullish(),
});

export const vendorBuildListEntrySchema = z.object({
  ...classed,
  number: z.number().int(),
  result: z.string().nullable(),
  building: z.boolean(),
  timestamp: z.number(),
  duration: z.number(),
  queueId: z.number().int().optional(),
});

export const vendorBuildListSchema = z.object({ builds: z.array(vendorBuildListEntrySchema) });

export const vendorRootSchema = z.object({ _class: z.string().optional(), jobs: z.array(z.object({ name: z.string() })).optional() });

export type VendorCause = z.infer<typeof vendorCauseSchema>;
export type VendorAction = z.infer<typeof vendorActionSchema>;
export type VendorBuild = z.infer<typeof vendorBuildSchema>;
export type VendorQueueItem = z.infer<typeof vendorQueueItemSchema>;
export type VendorJob = z.infer<typeof vendorJobSchema>;
export type VendorBuildListEntry = z.infer<typeof vendorBuildListEntrySchema>;

/** Queue item classes ([core] hudson.model.Queue). */
export const QUEUE_ITEM_CLASS = {
  waiting: "hudson.model.Queue$WaitingItem",
  blocked: "hudson.model.Queue$BlockedItem",
  buildable: "hudson.model.Queue$BuildableItem",
  left: "hudson.model.Queue$LeftItem",
} as const;

export const ACTION_CLASS = {
  parameters: "hudson.model.ParametersAction",
  causes: "hudson.model.CauseAction",
} as const;

export const CAUSE_CLASS = {
  user: "hudson.model.Cause$UserIdCause",
  remote: "hudson.model.Cause$RemoteCause",
  timer: "hudson.triggers.TimerTrigger$TimerTriggerCause",
  upstream: "hudson.model.Cause$UpstreamCause",
} as const;

// ---------------------------------------------------------------------------
// The npm `jenkins` client (1.1.0). @types/jenkins lacks the credentials API
// and types everything as any; this is the subset the adapter calls, typed as
// it behaves (contract §0).

export interface NodeJenkinsClient {
  info(opts?: { tree?: string }): Promise<unknown>;
  job: {
    get(name: string, opts?: { tree?: string; depth?: number }): Promise<unknown>;
    create(name: string, xml: string): Promise<void>;
    config(name: string): Promise<string>;
    config(name: string, xml: string): Promise<void>;
    destroy(name: string): Promise<void>;
    enable(name: string): Promise<void>;
    disable(name: string): Promise<void>;
  };
  build: {
    get(name: string, number: number, opts?: { tree?: string; depth?: number }): Promise<unknown>;
    stop(name: string, number: number): Promise<void>;
  };
  queue: {
    item(id: number): Promise<unknown>;
  };
  credentials: {
    create(folder: string, store: string, domain: string, xml: string): Promise<void>;
    exists(id: string, folder: string, store: string, domain: string): Promise<boolean>;
    config(id: string, folder: string, store: string, domain: string): Promise<string>;
    config(id: string, folder: string, store: string, domain: string, xml: string): Promise<void>;
    destroy(id: string, folder: string, store: string, domain: string): Promise<void>;
  };
}

/** What papi attaches to a failed call. */
export interface NodeJenkinsError extends Error {
  statusCode?: number;
  notFound?: boolean;
  isTimeout?: boolean;
  res?: { statusCode?: number; headers?: Record<string, string | string[] | undefined> };
}
