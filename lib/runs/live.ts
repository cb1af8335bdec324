import type { Db } from "@/lib/db/client";
import { isJenkinsError, plainConsoleText, resumeOffset, type JenkinsAdapter } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import type { JenkinsStatus } from "./jenkins-status";
import { LogChunker, type LogEventData } from "./log-chunks";
import { applyConsoleLines, parseStoredStages } from "./stages";
import { isOpenStatus } from "./status";
import { syncRun, type RunRow } from "./sync";
import { toRunView, type RunView } from "./view";

// Live updates for run pages. One watcher per open page's run, shared by every browser tab
// showing it: while anyone listens it polls Jenkins (build status, progressive console) about
// every 500 ms, moves the run along (syncRun), reads stage progress from the console, and
// pushes `run`, `log` and `end` events to each listener. The browser never polls.
//
// Logs: listeners are grouped by the byte offset they have reached, and each group is served by
// one progressive read from its offset (streamed, never buffered whole). When the log is idle
// every tab sits at the same offset, so there is one read per tick however many tabs are open.

export type LiveEvent =
  | { event: "run"; data: RunView }
  | { event: "log"; data: LogEventData }
  | { event: "jenkins"; data: JenkinsStatus }
  | { event: "end"; data: Record<string, never> };

export interface LiveListener {
  /** Resolves when the listener can take more (backpressure); rejects/returns false if it is gone. */
  send(event: LiveEvent): Promise<boolean>;
  close(): void;
}

export interface LiveDeps {
  db: Db;
  jenkins: Pick<JenkinsAdapter, "url" | "getQueueState" | "getBuild" | "listBuilds" | "readRestoreReport" | "openLog">;
  intervalMs?: number;
}

interface Member {
  listener: LiveListener;
  offset: number;
  /** Read to the end of a finished build's log (or there is no log). */
  complete: boolean;
  sentView: string | null;
  gone: boolean;
}

export class RunWatch {
  readonly #members = new Set<Member>();
  #running = false;
  #lastJenkins: JenkinsStatus = { ok: true };
  #wake: (() => void) | null = null;

  constructor(
    readonly runId: string,
    readonly deps: LiveDeps,
    readonly onIdle: () => void,
  ) {}

  get listenerCount(): number {
    return this.#members.size;
  }

  add(listener: LiveListener, offset: number): () => void {
    const member: Member = { listener, offset, complete: false, sentView: null, gone: false };
    this.#members.add(member);
    if (!this.#running) void this.#loop();
    else this.#wake?.();
    return () => {
      member.gone = true;
      this.#members.delete(member);
    };
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#members.size > 0) {
        const ended = await this.#tick().catch((error: unknown) => {
          console.error(`live run ${this.runId}: ${(error as Error).message}`);
          return false;
        });
        if (ended) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.deps.intervalMs ?? 500);
          // A new tab is served at once rather than after the interval.
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    } finally {
      this.#running = false;
      // Someone may have joined while the last round was sending `end` to the others.
      if (this.#members.size > 0) void this.#loop();
      else this.onIdle();
    }
  }

  /** One round; true when every listener has been sent `end`. */
  async #tick(): Promise<boolean> {
    const { db, jenkins } = this.deps;
    let run = await db.restoreRun.findUnique({ where: { id: this.runId } });
    if (!run) {
      await this.#finishAll();
      return true;
    }
    let fault: JenkinsStatus = { ok: true };
    if (isOpenStatus(run.status)) {
      try {
        if ((await syncRun({ db, jenkins }, run)) !== "unchanged") run = (await db.restoreRun.findUnique({ where: { id: this.runId } }))!;
      } catch (error) {
        fault = this.#fault(error);
      }
    }
    await this.#sendViews(run);
    if (run.buildNumber !== null) {
      const logFault = await this.#readLogs(run);
      if (logFault && fault.ok) fault = logFault;
      run = (await db.restoreRun.findUnique({ where: { id: this.runId } })) ?? run;
    } else if (!isOpenStatus(run.status)) {
      for (const m of this.#members) m.complete = true;
    }

    if (fault.ok !== this.#lastJenkins.ok || (!fault.ok && !this.#lastJenkins.ok && fault.kind !== this.#lastJenkins.kind)) {
      this.#lastJenkins = fault;
      await this.#broadcast({ event: "jenkins", data: fault });
    }
    await this.#sendViews(run);
    if (!isOpenStatus(run.status) && [...this.#members].every((m) => m.complete)) {
      await this.#finishAll();
      return true;
    }
    return false;
  }

  /** Sends the run's view to every listener that has not seen this version of it. */
  async #sendViews(run: RunRow): Promise<void> {
    const view = toRunView(run);
    const json = JSON.stringify(view);
    for (const m of [...this.#members]) {
      if (m.sentView === json) continue;
      m.sentView = json;
      await this.#sendTo(m, { event: "run", data: view });
    }
  }

  /** One progressive read per distinct offset; returns the Jenkins fault if a read failed. */
  async #readLogs(run: RunRow): Promise<JenkinsStatus | null> {
    const groups = new Map<number, Member[]>();
    for (const m of this.#members) if (!m.complete) groups.set(m.offset, [...(groups.get(m.offset) ?? []), m]);
    let stages = parseStoredStages(run.stages);
    const before = JSON.stringify(stages);
    let fault: JenkinsStatus | null = null;
    for (const [offset, members] of [...groups].sort((a, b) => a[0] - b[0])) {
      try {
        const log = await this.deps.jenkins.openLog(run.jobName, run.buildNumber!, offset);
        const chunker = new LogChunker(offset);
        const reader = log.body.getReader();
        let partial = "";
        const deliver = async (raw: LogEventData) => {
          // Console notes are never shown nor parsed; offsets stay raw-log offsets.
          const chunk = { ...raw, text: plainConsoleText(raw.text) };
          const lines = (partial + chunk.text).split("\n");
          partial = lines.pop() ?? "";
          stages = applyConsoleLines(stages, lines, new Date());
          for (const m of members) if (!m.gone) await this.#sendTo(m, { event: "log", data: chunk });
        };
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const chunk of chunker.push(value)) await deliver(chunk);
            if (members.every((m) => m.gone)) break;
          }
        } finally {
          await reader.cancel().catch(() => undefined);
        }
        const next = resumeOffset(log, chunker.end - offset);
        const last = chunker.finish(next);
        if (last) await deliver(last);
        for (const m of members) {
          m.offset = Math.max(m.offset, next);
          if (!log.more) m.complete = true;
        }
      } catch (error) {
        if (isJenkinsError(error, "not-found")) {
          // The build is gone: there is no more log to send.
          for (const m of members) m.complete = true;
          continue;
        }
        fault = this.#fault(error);
      }
    }
    const after = JSON.stringify(stages);
    if (after !== before && isOpenStatus(run.status)) {
      await this.deps.db.restoreRun.updateMany({ where: { id: run.id, status: { in: ["queued", "running"] } }, data: { stages: after } });
    }
    return fault;
  }

  #fault(error: unknown): JenkinsStatus {
    if (!isJenkinsError(error)) throw error;
    return { ok: false, kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: this.deps.jenkins.url }) };
  }

  async #sendTo(member: Member, event: LiveEvent): Promise<void> {
    if (member.gone) return;
    const alive = await member.listener.send(event).catch(() => false);
    if (!alive) {
      member.gone = true;
      this.#members.delete(member);
    }
  }

  async #broadcast(event: LiveEvent): Promise<void> {
    for (const m of [...this.#members]) await this.#sendTo(m, event);
  }

  async #finishAll(): Promise<void> {
    for (const m of [...this.#members]) {
      await this.#sendTo(m, { event: "end", data: {} });
      m.listener.close();
      this.#members.delete(m);
    }
  }
}

/** The watchers of one portal process, one per run being watched. */
export class LiveRuns {
  readonly #watches = new Map<string, RunWatch>();

  constructor(readonly deps: LiveDeps) {}

  /** Starts sending events for the run to the listener; call the result to stop. */
  subscribe(runId: string, logOffset: number, listener: LiveListener): () => void {
    let watch = this.#watches.get(runId);
    if (!watch) {
      watch = new RunWatch(runId, this.deps, () => {
        if (this.#watches.get(runId) === watch && watch!.listenerCount === 0) this.#watches.delete(runId);
      });
      this.#watches.set(runId, watch);
    }
    return watch.add(listener, logOffset);
  }

  /** Runs with a poller right now (for tests and the benchmark). */
  get watchedRuns(): string[] {
    return [...this.#watches.keys()];
  }
}
