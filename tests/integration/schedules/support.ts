import type { Db } from "@/lib/db/client";
import { JenkinsError, isJenkinsError, type JenkinsErrorKind } from "@/lib/jenkins";
import type { ScheduleDeps, ScheduleJenkins } from "@/lib/schedules/manage";
import { scheduleInputSchema, type ScheduleInput } from "@/lib/schedules/schema";
import { canonicalXml } from "@/tools/jenkins/normalize-xml";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { SSH_CREDENTIAL_ID, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";

// Shared by the schedule tests: form input, deps, a Jenkins that fails on its Nth call, and
// snapshots of both sides (database row and Jenkins job) to prove "both or neither".

export const PORTAL_URL = "http://portal.example.test:3000";

/**
 * For the enclosing block: an emulator with the stand-in pipelines and a fresh SQLite portal
 * database whose SSH key may read any path; `ready` receives both once they are up.
 */
export function withScheduleWorld(ready: (fx: RunsFixture, t: TestDatabase) => void): void {
  let fx: RunsFixture | undefined;
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    fx = await startRunsFixture();
    t = await freshDatabase("sqlite");
    await allowKeyPaths(t.db);
    ready(fx, t);
  });
  afterAll(async () => {
    await t?.drop();
    await stopRunsFixture(fx);
  });
}

export function scheduleInput(fx: RunsFixture, overrides: Record<string, unknown> = {}): ScheduleInput {
  return scheduleInputSchema.parse({
    name: "Shop DB nightly",
    backupHost: "db1.example.test",
    backupPort: "22",
    backupPath: fx.backupPath("pass"),
    dbType: "mysql",
    sshCredentialId: SSH_CREDENTIAL_ID,
    gpgCredentialId: "",
    backupHostKey: "",
    sandboxProvider: "local",
    notify: "on",
    notifyEmail: "ops@example.test, dba@example.test",
    frequency: "daily",
    time: "02:30",
    timeZone: "Europe/Dublin",
    ...overrides,
  });
}

export function scheduleDeps(db: Db, jenkins: ScheduleJenkins): ScheduleDeps {
  return { db, jenkins, portalUrl: PORTAL_URL };
}

/** The adapter, except that its Nth call (counting every method) fails with `kind` before reaching Jenkins. */
export function failingOnCall<T extends object>(adapter: T, n: number, kind: JenkinsErrorKind): { jenkins: T; calls: () => string[] } {
  const calls: string[] = [];
  const jenkins = new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        calls.push(String(property));
        if (calls.length === n) throw new JenkinsError(kind, `injected ${String(property)}`, `fault injected on call ${n}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { jenkins, calls: () => [...calls] };
}

/** The database, except that every transaction fails (the row write after the Jenkins step). */
export function failingTransactions(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === "$transaction") return async () => Promise.reject(new Error("injected database failure"));
      return Reflect.get(target, property, receiver);
    },
  });
}

export interface JenkinsSide {
  jobs: string[];
  configs: Record<string, string>;
}

/** Every schedule job Jenkins holds, with its canonical config (disabled flag included). */
export async function jenkinsSide(fx: RunsFixture): Promise<JenkinsSide> {
  const res = await fetch(new URL("api/json?tree=jobs[name]", fx.emulator.url), {
    headers: { authorization: `Basic ${Buffer.from(`boss:${fx.adminToken}`).toString("base64")}` },
  });
  const names = ((await res.json()) as { jobs: { name: string }[] }).jobs
    .map((j) => j.name)
    .filter((n) => n.startsWith("restore-drill-schedule-"))
    .sort();
  const configs: Record<string, string> = {};
  for (const name of names) configs[name] = canonicalXml(await fx.admin.getJobConfig(name));
  return { jobs: names, configs };
}

export async function databaseSide(db: Db): Promise<unknown[]> {
  const rows = await db.schedule.findMany({ orderBy: { id: "asc" } });
  return rows.map((r) => ({ ...r }));
}

export async function isNotFound(promise: Promise<unknown>): Promise<boolean> {
  try {
    await promise;
    return false;
  } catch (error) {
    return isJenkinsError(error, "not-found");
  }
}

/** Waits for the queue item's build of `job` to finish (through the adapter, as the test's admin). */
export async function finishedBuild(fx: RunsFixture, job: string, queueId: number) {
  const item = await fx.admin.waitForQueueItem(queueId, { timeoutMs: 60_000, pollMs: 100 });
  if (item.buildNumber === undefined) throw new Error(`queue item ${queueId} of ${job} was cancelled`);
  return fx.admin.waitForBuild(job, item.buildNumber, { timeoutMs: 60_000, pollMs: 100 });
}
