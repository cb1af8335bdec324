import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { BuildRecord } from "../model/build-record";
import { worstOf } from "../model/build-record";
import type { Job } from "../model/items";
import type { BuildStep } from "../model/job-config";
import type { QueueItem } from "../queue/queue";
import type { ComputerNode } from "../queue/nodes";
import { BindingError, bindCredentials, type BoundEnvironment } from "./bindings";
import { causeLines } from "./causes";
import { credentialResolver } from "./credential-lookup";
import { ConsoleLog } from "./console-log";
import type { BuildContext, RunnerHost } from "./context";
import { buildEnvironment } from "./build-env";
import { discardOldBuilds } from "./discarder";
import { killProcessesByCookie } from "./process-killer";
import { runPublishers } from "./publishers";
import { runShell } from "./shell";
import { StepAbort, performTriggerBuilder } from "./triggers";

const STEP_NAMES: Record<string, string> = { shell: "Execute shell", trigger: "Trigger/call builds on other projects" };

interface Running {
  ctx: BuildContext;
  abort: AbortController;
  done: Promise<void>;
}

export class BuildRunner {
  private readonly running = new Map<string, Running>();
  private readonly workspacesInUse = new Set<string>();

  constructor(private readonly host: RunnerHost) {}

  private key(job: Job, number: number): string {
    return `${job.fullName}#${number}`;
  }

  /** Newest running build number of the job, if any. */
  isBuilding(job: Job): number | undefined {
    const numbers = [...this.running.values()].filter((r) => r.ctx.job === job).map((r) => r.ctx.record.number);
    return numbers.length ? Math.max(...numbers) : undefined;
  }

  /** The builds running on a node, by executor number (for /computer/api/json). */
  executablesOn(node: ComputerNode): Map<number, { job: Job; number: number }> {
    const out = new Map<number, { job: Job; number: number }>();
    for (const r of this.running.values())
      if (r.ctx.node === node) out.set(r.ctx.executor, { job: r.ctx.job, number: r.ctx.record.number });
    return out;
  }

  runningCount(): number {
    return this.running.size;
  }

  /**
   * WorkspaceList.allocate (hudson.slaves.WorkspaceList): the node's workspace for the job,
   * or, while a build holds it, the first free of base@2, base@3, … (COMBINATOR "@").
   * Paths are per node (each has its own root), so one set of in-use paths serves all nodes.
   */
  private allocateWorkspace(job: Job, node: ComputerNode): string {
    const base = path.join(node.workspaceRoot(this.host.home), ...job.fullName.split("/"));
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? base : `${base}@${i}`;
      if (!this.workspacesInUse.has(candidate)) {
        this.workspacesInUse.add(candidate);
        return candidate;
      }
    }
  }

  start(item: QueueItem, node: ComputerNode, executor: number): number {
    const job = item.job;
    const number = job.nextBuildNumber++;
    this.host.store.saveNextBuildNumber(job);
    const previous = job.sortedBuilds().find((b) => !b.building && b.result === "SUCCESS");
    const record: BuildRecord = {
      number,
      queueId: item.id,
      timestamp: Date.now(),
      duration: 0,
      estimatedDuration: previous ? previous.duration : -1,
      result: null,
      building: true,
      parameters: item.parameters,
      causes: item.causes,
      builtOn: node.isBuiltIn ? "" : node.name,
      artifacts: [],
      keepLog: false,
      description: null,
    };
    job.builds.set(number, record);
    this.host.store.saveBuild(job, record);
    const workspace = this.allocateWorkspace(job, node);
    const abort = new AbortController();
    const ctx: BuildContext = {
      host: this.host,
      job,
      record,
      node,
      executor,
      workspace,
      log: new ConsoleLog(path.join(job.buildDir(number), "log")),
      env: {},
      buildVariables: {},
      result: "SUCCESS",
      abortedBy: undefined,
      abortSignal: abort.signal,
      cookie: randomUUID().replace(/-/g, ""),
      processGroups: new Set(),
    };
    const entry: Running = { ctx, abort, done: Promise.resolve() };
    this.running.set(this.key(job, number), entry);
    item.resolveStarted({ job, number });
    entry.done = this.execute(entry, item).finally(() => {
      this.running.delete(this.key(job, number));
      this.workspacesInUse.delete(workspace);
      node.release(executor);
      item.resolveCompleted(record);
      this.host.queue.maintain();
    });
    return number;
  }

  /**
   * Executor.interrupt: kills the running step's process tree; the build ends
   * ABORTED. A build whose builders were interrupted still runs its publishers
   * (Run.execute → post2), and a second stop interrupts those in turn.
   */
  abort(job: Job, number: number, by: string): boolean {
    const entry = this.running.get(this.key(job, number));
    if (!entry || entry.abort.signal.aborted) return false;
    entry.ctx.abortedBy ??= by;
    const interrupted = entry.abort;
    const groups = [...entry.ctx.processGroups];
    interrupted.abort();
    this.killTree(entry.ctx, "SIGTERM");
    setTimeout(() => {
      // Once the post-build phase has begun, processes carrying the build's
      // cookie are its post-build steps: only the interrupted groups may die.
      if (entry.abort === interrupted) this.killTree(entry.ctx, "SIGKILL");
      else killGroups(groups, "SIGKILL");
    }, 3000).unref();
    return true;
  }

  private killTree(ctx: BuildContext, signal: NodeJS.Signals): void {
    killGroups(ctx.processGroups, signal);
    killProcessesByCookie(ctx.cookie, String(ctx.record.number), signal);
  }

  async abortAll(by: string): Promise<void> {
    const entries = [...this.running.values()];
    for (const e of entries) this.abort(e.ctx.job, e.ctx.record.number, by);
    await Promise.all(entries.map((e) => e.done));
  }

  /** One build step; false means "Build step '…' marked build as failure". */
  private readonly performStep = async (ctx: BuildContext, step: BuildStep): Promise<boolean> => {
    if (ctx.abortSignal.aborted) return false;
    switch (step.type) {
      case "shell": {
        const outcome = await runShell(
          {
            workspace: ctx.workspace,
            env: ctx.env,
            log: ctx.log,
            track: (pid) => {
              ctx.processGroups.add(pid);
              return () => ctx.processGroups.delete(pid);
            },
          },
          step.command,
        );
        if (ctx.abortSignal.aborted) return false;
        if (outcome.exitCode === 0) return true;
        if (step.unstableReturn !== undefined && step.unstableReturn !== 0 && outcome.exitCode === step.unstableReturn) {
          ctx.result = worstOf(ctx.result, "UNSTABLE");
          return true;
        }
        return false;
      }
      case "trigger":
        try {
          return await performTriggerBuilder(ctx, step.configs);
        } catch (err) {
          if (err instanceof StepAbort && err.message !== "aborted") ctx.log.println(`ERROR: ${err.message}`);
          return false;
        }
      case "unsupported":
        ctx.log.println(`[emulator] build step ${step.tag} is not emulated; skipped`);
        return true;
    }
  };

  private async execute(entry: Running, item: QueueItem): Promise<void> {
    const { ctx } = entry;
    const { job, record, log } = ctx;
    for (const cause of item.causes) for (const line of causeLines(cause)) log.println(line);
    log.println("Running as SYSTEM");
    log.println(
      ctx.node.isBuiltIn
        ? `Building on the built-in node in workspace ${ctx.workspace}`
        : `Building remotely on ${ctx.node.name} (${ctx.node.config.labels.join(" ")}) in workspace ${ctx.workspace}`,
    );
    fs.mkdirSync(ctx.workspace, { recursive: true });
    ctx.env = buildEnvironment(this.host, ctx);
    ctx.buildVariables = { ...ctx.env };
    let bound: BoundEnvironment | undefined;
    try {
      if (job.def.kind === "pipeline") {
        log.println("ERROR: the Jenkins emulator does not run Pipeline scripts");
        ctx.result = "FAILURE";
      } else {
        for (const tag of job.def.unsupportedWrappers) log.println(`[emulator] build wrapper ${tag} is not emulated; skipped`);
        const folders = ancestorsOf(job);
        const resolve = credentialResolver({
          parameters: record.parameters,
          causes: record.causes,
          lookup: (id) => this.host.credentials.lookup(id, folders),
          mayUseItemCredentials: (userId) => this.host.userHas(userId, "Credentials/UseItem"),
        });
        bound = bindCredentials(job.def.wrappers, ctx.workspace, resolve);
        log.addSecrets(bound.secrets);
        ctx.env = { ...ctx.env, ...bound.env };
        for (const step of job.def.builders) {
          const ok = await this.performStep(ctx, step);
          if (ctx.abortSignal.aborted) break;
          if (!ok) {
            log.println(`Build step '${STEP_NAMES[step.type] ?? step.type}' marked build as failure`);
            ctx.result = "FAILURE";
            break;
          }
        }
      }
    } catch (err) {
      log.println(err instanceof BindingError ? `ERROR: ${err.message}` : `FATAL: ${(err as Error).message}`);
      ctx.result = "FAILURE";
    }
    if (ctx.abortedBy) {
      log.println("Build was aborted");
      log.println(`Aborted by ${ctx.abortedBy}`);
      ctx.result = "ABORTED";
      // The interruption ended the builders; publishers (PostBuildScript on
      // ABORTED, post-build triggers) run uninterrupted until stopped again.
      entry.abort = new AbortController();
      ctx.abortSignal = entry.abort.signal;
    }
    // close() aborts as SYSTEM and must not start downstream work.
    if (ctx.abortedBy !== "SYSTEM") await runPublishers(ctx, job.def.publishers, this.performStep);
    if (ctx.abortedBy) ctx.result = "ABORTED";
    bound?.cleanup();
    this.killTree(ctx, "SIGTERM");
    log.println(`Finished: ${ctx.result}`);
    log.close();
    record.result = ctx.result;
    record.building = false;
    record.duration = Math.max(1, Date.now() - record.timestamp);
    if (job.builds.has(record.number)) {
      this.host.store.saveBuild(job, record);
      discardOldBuilds(this.host.store, job);
    }
  }
}

function killGroups(groups: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // group already gone
    }
  }
}

function ancestorsOf(job: Job): string[] {
  const parts = job.fullName.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("/"));
}
