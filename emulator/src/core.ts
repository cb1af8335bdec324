import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ApiContext } from "./api/representations";
import { Authenticator, type Permission, type UserConfig } from "./auth";
import { CredentialsStore } from "./credentials/store";
import type { Cause, ParameterValue } from "./model/build-record";
import { ItemStore, Job } from "./model/items";
import { ComputerNode, type NodeConfig } from "./queue/nodes";
import { BuildQueue, type QueueItem } from "./queue/queue";
import type { ThrottleCategory } from "./queue/throttle";
import { BuildRunner } from "./runner/build-runner";
import type { RunnerHost } from "./runner/context";
import { behaviourOf, type JenkinsBehaviour } from "./jenkins-version";
import { TimerService } from "./timer-service";

// Wires the stores, queue, executors, runner and timers together. The HTTP
// layer (http/*) only talks to this object.

export interface CoreOptions {
  home: string;
  users: UserConfig[];
  nodes: NodeConfig[];
  quietPeriodSeconds: number;
  anonymousRead: boolean;
  /** the Jenkins version emulated, e.g. "2.568.2" (see jenkins-version.ts) */
  version: string;
  /** throttle-concurrents' global categories */
  throttleCategories: ThrottleCategory[];
}

interface PersistentState {
  nextQueueId: number;
}

export class EmulatorCore implements RunnerHost {
  readonly home: string;
  readonly outboxDir: string;
  readonly store: ItemStore;
  readonly credentials: CredentialsStore;
  readonly auth: Authenticator;
  readonly nodes: ComputerNode[];
  readonly queue: BuildQueue;
  readonly runner: BuildRunner;
  readonly timers: TimerService;
  readonly behaviour: JenkinsBehaviour;
  /** X-Jenkins-Session: changes on every (emulated) restart */
  instanceId = randomBytes(4).toString("hex");
  baseUrl = "http://127.0.0.1/";
  downUntil = 0;
  private state: PersistentState = { nextQueueId: 1 };

  constructor(readonly options: CoreOptions) {
    this.home = path.resolve(options.home);
    this.outboxDir = path.join(this.home, "outbox");
    fs.mkdirSync(this.home, { recursive: true });
    this.behaviour = behaviourOf(options.version);
    this.store = new ItemStore(this.home, () => this.behaviour.pluginVersions);
    this.credentials = new CredentialsStore(path.join(this.home, "credentials.json"));
    this.auth = new Authenticator(options.users, options.anonymousRead);
    this.nodes = options.nodes.map((n) => new ComputerNode(n));
    this.runner = new BuildRunner(this);
    this.queue = new BuildQueue({
      nodes: this.nodes,
      isBuilding: (job) => this.runner.isBuilding(job),
      throttle: {
        nodes: this.nodes,
        categories: options.throttleCategories,
        runningOn: (node) => [...this.runner.executablesOn(node).values()].map((e) => e.job),
      },
      startBuild: (item, node, executor) => this.runner.start(item, node, executor),
      nextQueueId: () => this.allocateQueueId(),
      paused: () => this.downUntil > Date.now(),
    });
    this.timers = new TimerService(this);
  }

  private get statePath(): string {
    return path.join(this.home, "emulator-state.json");
  }

  load(): void {
    this.store.load();
    this.credentials.load();
    if (fs.existsSync(this.statePath)) this.state = JSON.parse(fs.readFileSync(this.statePath, "utf8")) as PersistentState;
    this.queue.start();
    this.timers.start();
  }

  private allocateQueueId(): number {
    const id = this.state.nextQueueId++;
    fs.writeFileSync(this.statePath, JSON.stringify(this.state));
    return id;
  }

  rootUrl(): string {
    return this.baseUrl;
  }

  quietPeriodMs(job: Job): number {
    return 1000 * (job.def.quietPeriod ?? this.options.quietPeriodSeconds);
  }

  userHas(userId: string | undefined, permission: Permission): boolean {
    return this.auth.userHas(userId, permission);
  }

  schedule(job: Job, parameters: ParameterValue[] | null, causes: Cause[], quietPeriodMs?: number): { item: QueueItem; created: boolean } {
    return this.queue.schedule(job, parameters, causes, quietPeriodMs ?? this.quietPeriodMs(job));
  }

  /** `canReadItems`: the caller holds Job/Read; without it item lists are empty (Jenkins filters them). */
  apiContext(rootUrl: string, canReadItems = true): ApiContext {
    return {
      rootUrl,
      canReadItems,
      queueItemFor: (job) => this.queue.pending().find((i) => i.job === job),
      isBuilding: (job) => this.runner.isBuilding(job) !== undefined,
    };
  }

  get totalExecutors(): number {
    return this.nodes.reduce((n, node) => n + node.config.executors, 0);
  }

  async shutdown(): Promise<void> {
    this.timers.stop();
    this.queue.stop();
    await this.runner.abortAll("SYSTEM");
  }
}
