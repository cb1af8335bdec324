import { ZodError } from "zod";
import type { Db } from "@/lib/db/client";
import type { TickLease } from "@/lib/db/tick-lease";
import { isJenkinsError } from "@/lib/jenkins";
import { checkDrift, type DriftJenkins } from "./drift";
import type { Mailer } from "@/lib/shared/mail";
import { checkMissedRuns } from "./missed";
import { removeOrphanJobs, type OrphanJenkins } from "./orphan-jobs";
import { reconcileIntents, type IntentJenkins } from "./reconcile-intents";

// Runs beside the run reconciler (lib/runs/server-reconciler.ts): missed runs every round (the
// database only), drift every `driftEvery` rounds (one config.xml read per schedule), so that
// list pages show both without calling Jenkins themselves. Operations that a crash left half-done
// (intents whose lease ran out) are settled every round; jobs carrying the portal's marker that
// are no schedule's job are removed with the drift check.

export interface ScheduleWatchDeps {
  db: Db;
  jenkins: () => DriftJenkins & IntentJenkins & OrphanJenkins;
  portalUrl: () => string;
  mailer: Mailer | null;
  graceMinutes: number;
  intervalMs: number;
  driftEvery?: number;
  log?: (message: string) => void;
  /** Set when replicas share the database: only the lease holder runs a tick. */
  lease?: TickLease;
}

/** Another replica holds the tick this round. */
class NotLeader extends Error {}

/**
 * Checks every schedule's job. A schedule whose stored row cannot be rendered (its parameters no
 * longer parse) is skipped and named, so one bad row does not stop the check for all the others;
 * any other fault (Jenkins, the database) concerns every schedule and stops the round.
 */
export async function checkAllDrift(deps: {
  db: Db;
  jenkins: DriftJenkins;
  portalUrl: string;
}): Promise<{ drifted: number; unreadable: string[] }> {
  let drifted = 0;
  const unreadable: string[] = [];
  for (const { id, name } of await deps.db.schedule.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } })) {
    try {
      if (await checkDrift(deps, id)) drifted++;
    } catch (error) {
      // JSON.parse and the schemas are the only steps that fail on the row itself.
      if (!(error instanceof ZodError || error instanceof SyntaxError)) throw error;
      unreadable.push(name);
    }
  }
  return { drifted, unreadable };
}

export function startScheduleWatch(deps: ScheduleWatchDeps): { stop(): void } {
  const log = deps.log ?? ((m: string) => console.warn(`[schedules] ${m}`));
  const driftEvery = deps.driftEvery ?? 6;
  let round = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFault: string | null = null;
  let lastUnreadable = "";

  const tick = async () => {
    try {
      // Replicas (lib/db/tick-lease.ts): missed-run mails and intents are handled by one process per tick.
      if (deps.lease && !(await deps.lease.acquire())) throw new NotLeader();
      await checkMissedRuns({ db: deps.db, mailer: deps.mailer, graceMinutes: deps.graceMinutes, portalUrl: deps.portalUrl(), log });
      await reconcileIntents({ db: deps.db, jenkins: deps.jenkins(), portalUrl: deps.portalUrl() });
      if (round % driftEvery === 0) await removeOrphanJobs({ db: deps.db, jenkins: deps.jenkins() });
      if (round % driftEvery === 0) {
        const { unreadable } = await checkAllDrift({ db: deps.db, jenkins: deps.jenkins(), portalUrl: deps.portalUrl() });
        const names = unreadable.join(", ");
        if (names && names !== lastUnreadable) log(`drift not checked for schedules whose stored parameters do not parse: ${names}`);
        lastUnreadable = names;
      }
      lastFault = null;
    } catch (error) {
      if (error instanceof NotLeader) return reschedule();
      const kind = isJenkinsError(error) ? error.kind : "error";
      if (kind !== lastFault) log(`check failed: ${(error as Error).message}`);
      lastFault = kind;
    }
    round++;
    reschedule();
  };
  const reschedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, deps.intervalMs);
    timer.unref?.();
  };
  timer = setTimeout(tick, 0);
  timer.unref?.();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      void deps.lease?.release().catch(() => undefined);
    },
  };
}
