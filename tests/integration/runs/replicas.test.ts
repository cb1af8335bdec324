import { createDb, type Db } from "@/lib/db/client";
import { tickLease, type TickLease } from "@/lib/db/tick-lease";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { startReconciler, type Reconciler } from "@/lib/runs/reconcile";
import { OPEN_STATUSES } from "@/lib/runs/status";
import { startRun } from "@/lib/runs/start-run";
import { createSchedule } from "@/lib/schedules/manage";
import { startScheduleWatch } from "@/lib/schedules/watch";
import { mailSettings, smtpMailer } from "@/lib/shared/mail";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { startSmtpCatcher, type SmtpCatcher } from "@/tests/support/servers/smtp";
import { PORTAL_URL, scheduleDeps, scheduleInput } from "../schedules/support";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";

// Two portal replicas on one PostgreSQL (lib/db/tick-lease.ts): each has its own connection pool,
// reconciler and schedule watch, ticking every 150 ms against the same emulator and SMTP catcher.
// Runs close and schedules miss their due time while both tick: every run is closed by exactly
// one write, every missed schedule mails once, and only the lease holder does rounds. Then the
// holder is "killed" in the middle of a tick (its Jenkins calls never return, its lease is never
// renewed nor released): the other replica takes over after the lease runs out and loses nothing.

jest.setTimeout(120_000);

const INTERVAL_MS = 150;
// Long enough that a round slowed down by a busy machine never lets the lease lapse while its
// holder is alive (production uses at least a minute); short enough for the takeover to be quick.
const TTL_MS = 8_000;

interface Replica {
  name: string;
  db: Db;
  reconciler: Reconciler;
  watch: { stop(): void };
  /** Rounds in which this replica held each lease. */
  held: { reconciler: number; watch: number };
  kill(): void;
}

let fx: RunsFixture;
let t: TestDatabase;
let smtp: SmtpCatcher;
/** Successful close writes, by run id, from every replica. */
const closes = new Map<string, string[]>();

beforeAll(async () => {
  fx = await startRunsFixture();
  t = await freshDatabase("postgresql");
  await allowKeyPaths(t.db);
  smtp = await startSmtpCatcher();
});
afterAll(async () => {
  await smtp?.close();
  await t?.drop();
  await stopRunsFixture(fx);
});

/** The replica's Db, counting the conditional update that closes a run (lib/runs/close.ts applyClosing). */
function countingDb(name: string): Db {
  const base = createDb(t.url);
  return base.$extends({
    query: {
      restoreRun: {
        async updateMany({ args, query }) {
          const result = await query(args);
          const data = args.data as { finishedAt?: unknown };
          const id = (args.where as { id?: unknown } | undefined)?.id;
          if (result.count === 1 && data.finishedAt !== undefined && typeof id === "string")
            closes.set(id, [...(closes.get(id) ?? []), name]);
          return result;
        },
      },
    },
  }) as unknown as Db;
}

function startReplica(name: string): Replica {
  const db = countingDb(name);
  let dead = false;
  const never = new Promise<never>(() => undefined);
  // A killed process makes no more calls: from the database's side, a round stuck forever is the same.
  const jenkins = new Proxy(fx.admin, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (dead) return never;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as JenkinsAdapter;
  const held = { reconciler: 0, watch: 0 };
  const counted = (lease: TickLease, key: keyof typeof held): TickLease => ({
    ...lease,
    holder: lease.holder,
    async acquire() {
      if (dead) return never;
      const got = await lease.acquire();
      if (got) held[key]++;
      return got;
    },
    // A killed process never gives its lease back.
    release: () => (dead ? Promise.resolve() : lease.release()),
  });
  const mailer = smtpMailer(mailSettings({ SMTP_URL: smtp.url, MAIL_FROM: "drill@example.test" })!);
  const reconciler = startReconciler({
    db,
    jenkins,
    intervalMs: INTERVAL_MS,
    log: () => undefined,
    lease: counted(tickLease(db, "reconciler", { ttlMs: TTL_MS, holder: `${name}-reconciler` }), "reconciler"),
  });
  const watch = startScheduleWatch({
    db,
    jenkins: () => jenkins,
    portalUrl: () => PORTAL_URL,
    mailer,
    graceMinutes: 1,
    intervalMs: INTERVAL_MS,
    log: () => undefined,
    lease: counted(tickLease(db, "schedule-watch", { ttlMs: TTL_MS, holder: `${name}-watch` }), "watch"),
  });
  return { name, db, reconciler, watch, held, kill: () => (dead = true) };
}

async function missedSchedule(n: number): Promise<string> {
  const user = await makeUser(t.db);
  const { id } = await createSchedule(
    scheduleDeps(t.db, fx.admin),
    user,
    scheduleInput(fx, { name: `Replica missed ${n}`, time: "02:30", timeZone: "UTC", notifyEmail: `dba${n}@example.test` }),
  );
  // Active for days, no run ever: its latest due time is missed.
  await t.db.schedule.update({ where: { id }, data: { activeSince: new Date(Date.now() - 3 * 86_400_000) } });
  return id;
}

async function startRuns(count: number): Promise<string[]> {
  const user = await makeUser(t.db);
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push((await startRun({ db: t.db, jenkins: fx.admin, portalUrl: PORTAL_URL }, user, fx.params(fx.backupPath("pass")))).runId);
  return ids;
}

const allClosed = (ids: string[]) => async () =>
  (await t.db.restoreRun.count({ where: { id: { in: ids }, status: { in: [...OPEN_STATUSES] } } })) === 0 ? true : null;
const mailsTo = () => smtp.caught.flatMap((m) => m.to).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("should close each run once and mail each missed schedule once across two replicas, and lose nothing when the holder dies mid-tick", async () => {
  const firstSchedules = [await missedSchedule(1), await missedSchedule(2), await missedSchedule(3)];
  const firstRuns = await startRuns(4);
  const a = startReplica("a");
  const b = startReplica("b");
  try {
    await eventually(allClosed(firstRuns), "the first runs to close", 60_000);
    await eventually(async () => (smtp.caught.length >= firstSchedules.length ? true : null), "the missed-run mails", 30_000);
    await sleep(8 * INTERVAL_MS); // several more ticks on both replicas

    expect(mailsTo()).toEqual(["dba1@example.test", "dba2@example.test", "dba3@example.test"]);
    for (const id of firstRuns) expect(closes.get(id)).toHaveLength(1);
    const rows = await t.db.restoreRun.findMany({ where: { id: { in: firstRuns } }, select: { status: true } });
    expect(rows.map((r) => r.status)).toEqual(["passed", "passed", "passed", "passed"]);
    // One holder per tick name: the other replica never got a round while the holder was alive.
    for (const key of ["reconciler", "watch"] as const) {
      expect(a.held[key] + b.held[key]).toBeGreaterThanOrEqual(3);
      expect(Math.min(a.held[key], b.held[key])).toBe(0);
    }
    const holder = a.held.reconciler > 0 ? a : b;
    const survivor = holder === a ? b : a;
    expect(survivor.held.reconciler).toBe(0);

    // Kill the reconciler's holder in the middle of its next tick, with new work waiting.
    holder.kill();
    const laterRuns = await startRuns(3);
    const laterSchedules = [await missedSchedule(4), await missedSchedule(5)];
    await eventually(allClosed(laterRuns), "the later runs to close on the survivor", 60_000);
    await eventually(async () => (smtp.caught.length >= 5 ? true : null), "the later missed-run mails", 30_000);
    await sleep(8 * INTERVAL_MS);

    expect(laterSchedules).toHaveLength(2);
    expect(mailsTo()).toEqual(["dba1@example.test", "dba2@example.test", "dba3@example.test", "dba4@example.test", "dba5@example.test"]);
    for (const id of [...firstRuns, ...laterRuns]) expect(closes.get(id)).toHaveLength(1);
    for (const id of laterRuns) expect(closes.get(id)).toEqual([survivor.name]);
    expect(survivor.held.reconciler).toBeGreaterThan(0);
    expect(survivor.held.watch).toBeGreaterThan(0);
  } finally {
    a.reconciler.stop();
    b.reconciler.stop();
    a.watch.stop();
    b.watch.stop();
    await sleep(2 * INTERVAL_MS);
    await a.db.$disconnect();
    await b.db.$disconnect();
  }
});
