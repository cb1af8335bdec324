import type { Permission } from "../auth";
import type { CredentialsStore } from "../credentials/store";
import type { BuildRecord, Cause, ParameterValue } from "../model/build-record";
import type { Job, ItemStore } from "../model/items";
import type { ResultName } from "../model/job-config";
import type { BuildQueue, QueueItem } from "../queue/queue";
import type { ComputerNode } from "../queue/nodes";
import type { ConsoleLog } from "./console-log";

export interface RunnerHost {
  home: string;
  outboxDir: string;
  rootUrl(): string;
  store: ItemStore;
  credentials: CredentialsStore;
  queue: BuildQueue;
  quietPeriodMs(job: Job): number;
  /** permission of a user by id (undefined = anonymous), for credentials parameters */
  userHas(userId: string | undefined, permission: Permission): boolean;
}

/** Mutable state of one running build, shared by the steps and publishers. */
export interface BuildContext {
  host: RunnerHost;
  job: Job;
  record: BuildRecord;
  node: ComputerNode;
  executor: number;
  workspace: string;
  log: ConsoleLog;
  env: Record<string, string>;
  /** the build's environment before credentials are bound (what Mailer expands recipients with) */
  buildVariables: Record<string, string>;
  result: ResultName;
  abortedBy: string | undefined;
  abortSignal: AbortSignal;
  cookie: string;
  processGroups: Set<number>;
}

export type ScheduleFn = (job: Job, parameters: ParameterValue[] | null, causes: Cause[], quietPeriodMs: number) => QueueItem;
