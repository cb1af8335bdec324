import { storedCredentialChoices } from "@/lib/dashboard/credential-choices";
import { loadDashboard } from "@/lib/dashboard/load";
import { resultsHref } from "@/lib/dashboard/present";
import type { Db } from "@/lib/db/client";
import { parseResultsFilters } from "@/lib/results/filters";
import { listSchedules } from "@/lib/schedules/view";
import { freshDatabase, PROVIDERS, type TestDatabase } from "@/tests/support/databases";

// One hand-computed fixture around an injected `now`: runs on both sides of the 24 h / 7 d / 30 d
// edges, schedules failing, passing, never run, passed too long ago, paused and missed, and shrink
// alarms. Every expected number below was counted by hand from the tables in this file.

const NOW = new Date("2026-06-15T12:00:00.000Z");
const MS = 1;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offset: number) => new Date(NOW.getTime() + offset);

const SCHEDULES = {
  A: { name: "alpha failing", frequency: "daily" },
  B: { name: "bravo passing", frequency: "daily" },
  C: { name: "charlie never run", frequency: "weekly", weekday: 1 },
  D: { name: "delta old pass", frequency: "weekly", weekday: 2 },
  E: { name: "echo on the edge", frequency: "weekly", weekday: 3 },
  F: { name: "foxtrot paused", frequency: "daily", enabled: false, missedSince: at(-2 * HOUR) },
  G: { name: "golf missed", frequency: "daily", missedSince: at(-5 * HOUR), missedDueAt: at(-5 * HOUR - 15 * MIN) },
  H: { name: "hotel could not verify", frequency: "monthly", dayOfMonth: 15 },
  I: { name: "india monthly old pass", frequency: "monthly", dayOfMonth: 15 },
  J: { name: "juliet failing for long", frequency: "monthly", dayOfMonth: 15 },
} as const;
type Key = keyof typeof SCHEDULES;

const alarm = (mode: "fail" | "warn", summary: string) =>
  JSON.stringify({
    mode,
    thresholdPct: 20,
    comparedWithRunId: "cmpreviouspassedrun000001",
    drops: [{ kind: "backup-bytes", before: 1000, after: 600, dropPct: 40 }],
    summary,
  });

// [label, schedule or null, status, offset from NOW, extra columns]
const RUNS: [string, Key | null, string, number, { reason?: string; reasonCode?: string; failedStage?: string; alarm?: string }?][] = [
  ["r1", "A", "passed", -3 * DAY],
  [
    "r2",
    "A",
    "failed",
    -2 * HOUR,
    { reason: "Checksum mismatch", reasonCode: "CHECKSUM", failedStage: "restore", alarm: alarm("fail", "Table orders is gone") },
  ],
  ["r3", "B", "failed", -26 * HOUR, { reason: "Timed out" }],
  ["r4", "B", "passed", -1 * HOUR, { alarm: alarm("warn", "Backup shrank by 40%") }],
  ["r5", "B", "failed", +1 * MIN], // after NOW: ignored everywhere
  ["r6", "D", "passed", -7 * DAY - 16 * MIN],
  ["r7", "D", "aborted", -1 * HOUR], // not a verdict
  ["r8", "E", "passed", -7 * DAY - 15 * MIN], // exactly 7 days + 15 minutes' grace: still covered
  ["r9", "F", "failed", -1 * HOUR, { reason: "Paused schedule's failure" }],
  ["r10", "G", "passed", -30 * MIN],
  ["r11", "H", "passed", -20 * DAY],
  ["r12", "H", "could-not-verify", -10 * DAY, { reason: "Jenkins lost the build" }],
  ["r13", "I", "passed", -40 * DAY],
  ["r14", null, "passed", -24 * HOUR],
  ["r15", null, "failed", -24 * HOUR - MS, { reason: "Wrong key" }],
  ["r16", null, "passed", -7 * DAY],
  ["r17", null, "aborted", -7 * DAY - MS],
  ["r18", null, "failed-to-start", -30 * DAY],
  ["r19", null, "could-not-verify", -30 * DAY - MS],
  ["r20", null, "running", -5 * MIN],
  ["r21", null, "queued", -1 * MIN],
  ["r22", null, "passed", -3 * HOUR, { alarm: "{not json" }],
  ["r23", null, "passed", -31 * DAY, { alarm: alarm("warn", "Too old to list") }],
  ["r24", null, "passed", +1 * MS],
  ["r25", "J", "passed", -50 * DAY],
  ["r26", "J", "failed", -45 * DAY, { reason: "Decryption failed" }],
];

interface Fixture {
  schedule: Record<Key, string>;
  run: Record<string, string>;
}

async function seed(db: Db): Promise<Fixture> {
  const schedule = {} as Record<Key, string>;
  for (const [key, s] of Object.entries(SCHEDULES) as [Key, (typeof SCHEDULES)[Key]][]) {
    const row = await db.schedule.create({
      data: {
        name: s.name,
        jobName: `restore-drill-schedule-${key.toLowerCase()}`,
        ownerEmail: "ann@example.test",
        parameters: JSON.stringify({ backupHost: `${key.toLowerCase()}.example.test`, backupPath: `/backups/${key}.sql.gz` }),
        frequency: s.frequency,
        weekday: "weekday" in s ? s.weekday : null,
        dayOfMonth: "dayOfMonth" in s ? s.dayOfMonth : null,
        time: "03:00",
        timeZone: "UTC",
        notifyEmails: "",
        enabled: "enabled" in s ? s.enabled : true,
        missedSince: "missedSince" in s ? s.missedSince : null,
        missedDueAt: "missedDueAt" in s ? s.missedDueAt : null,
        createdByEmail: "ann@example.test",
        updatedByEmail: "ann@example.test",
      },
    });
    schedule[key] = row.id;
  }
  const run: Record<string, string> = {};
  for (const [i, [label, key, status, offset, extra]] of RUNS.entries()) {
    const row = await db.restoreRun.create({
      data: {
        createdAt: at(offset),
        source: key ? "schedule" : "portal",
        parameters: "{}",
        backupHost: "db1.example.test",
        backupPath: `/backups/${label}.sql.gz`,
        dbType: "postgresql",
        jobName: "restore-drill-pipeline",
        buildNumber: i + 1,
        status,
        scheduleId: key ? schedule[key] : null,
        reason: extra?.reason ?? null,
        reasonCode: extra?.reasonCode ?? null,
        failedStage: extra?.failedStage ?? null,
        alarm: extra?.alarm ?? null,
      },
    });
    run[label] = row.id;
  }
  return { schedule, run };
}

const zero = { passed: 0, failed: 0, "could-not-verify": 0, aborted: 0, "failed-to-start": 0, running: 0, queued: 0 };

describe.each(PROVIDERS)("dashboard on %s", (provider) => {
  let t: TestDatabase;
  let f: Fixture;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    f = await seed(t.db);
  });
  afterAll(() => t?.drop());

  it("should count runs by verdict in the last 24 hours, 7 days and 30 days, both edges included and nothing after now", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15 });
    expect(d.periods.map((p) => [p.key, p.since.toISOString(), p.total])).toEqual([
      ["24h", "2026-06-14T12:00:00.000Z", 9],
      ["7d", "2026-06-08T12:00:00.000Z", 13],
      ["30d", "2026-05-16T12:00:00.000Z", 19],
    ]);
    expect(d.periods[0]!.byStatus).toEqual({ ...zero, passed: 4, failed: 2, aborted: 1, running: 1, queued: 1 });
    expect(d.periods[1]!.byStatus).toEqual({ ...zero, passed: 6, failed: 4, aborted: 1, running: 1, queued: 1 });
    expect(d.periods[2]!.byStatus).toEqual({
      ...zero,
      passed: 9,
      failed: 4,
      "could-not-verify": 1,
      aborted: 2,
      "failed-to-start": 1,
      running: 1,
      queued: 1,
    });
  });

  it("should list enabled schedules whose latest verdict is a failure, newest first, with the failed run's reason", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15 });
    expect(d.failing.count).toBe(3);
    expect(d.failing.items.map((s) => [s.name, s.failedAt.toISOString(), s.run?.id, s.run?.status, s.run?.reason])).toEqual([
      ["alpha failing", at(-2 * HOUR).toISOString(), f.run.r2, "failed", "Checksum mismatch"],
      ["hotel could not verify", at(-10 * DAY).toISOString(), f.run.r12, "could-not-verify", "Jenkins lost the build"],
      ["juliet failing for long", at(-45 * DAY).toISOString(), f.run.r26, "failed", "Decryption failed"],
    ]);
    expect(d.failing.items[0]!.run).toMatchObject({ reasonCode: "CHECKSUM", failedStage: "restore" });
  });

  it("should list enabled schedules with a missed run, and leave paused ones out", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15 });
    expect(d.missed).toEqual({
      count: 1,
      items: [{ id: f.schedule.G, name: "golf missed", missedSince: at(-5 * HOUR), missedDueAt: at(-5 * HOUR - 15 * MIN) }],
    });
    expect(d.pausedCount).toBe(1);
    expect(d.scheduleCount).toBe(10);
  });

  it("should list backups never verified or verified longer ago than their frequency and grace allow", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15 });
    expect(d.uncovered.count).toBe(5);
    expect(
      d.uncovered.items.map((u) => [
        u.name,
        u.frequency,
        u.lastPassedAt?.toISOString() ?? null,
        u.lastPassedRunId,
        u.uncoveredSince?.toISOString() ?? null,
      ]),
    ).toEqual([
      ["charlie never run", "weekly", null, null, null],
      ["juliet failing for long", "monthly", at(-50 * DAY).toISOString(), f.run.r25, at(-50 * DAY + 31 * DAY + 15 * MIN).toISOString()],
      ["india monthly old pass", "monthly", at(-40 * DAY).toISOString(), f.run.r13, at(-40 * DAY + 31 * DAY + 15 * MIN).toISOString()],
      ["delta old pass", "weekly", at(-7 * DAY - 16 * MIN).toISOString(), f.run.r6, at(-MIN).toISOString()],
      ["alpha failing", "daily", at(-3 * DAY).toISOString(), f.run.r1, at(-3 * DAY + DAY + 15 * MIN).toISOString()],
    ]);
    // A longer grace covers "delta" (passed 7 days and 16 minutes ago) too.
    const lenient = await loadDashboard(t.db, NOW, { graceMinutes: 16 });
    expect(lenient.uncovered.items.map((u) => u.name)).not.toContain("delta old pass");
    expect(lenient.uncovered.count).toBe(4);
  });

  it("should list the newest failures and shrink alarms of the last 30 days, unreadable alarms included", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15 });
    expect(d.recentFailures.map((r) => [r.id, r.status, r.schedule?.name ?? null, r.reason])).toEqual([
      [f.run.r9, "failed", "foxtrot paused", "Paused schedule's failure"],
      [f.run.r2, "failed", "alpha failing", "Checksum mismatch"],
      [f.run.r15, "failed", null, "Wrong key"],
      [f.run.r3, "failed", "bravo passing", "Timed out"],
      [f.run.r12, "could-not-verify", "hotel could not verify", "Jenkins lost the build"],
    ]);
    expect(d.recentAlarms.map((r) => [r.id, r.schedule?.id ?? null, r.alarm?.mode ?? null, r.alarm?.summary ?? null])).toEqual([
      [f.run.r4, f.schedule.B, "warn", "Backup shrank by 40%"],
      [f.run.r2, f.schedule.A, "fail", "Table orders is gone"],
      [f.run.r22, null, null, null],
    ]);
  });

  it("should cut every list at the limit and still count them all", async () => {
    const d = await loadDashboard(t.db, NOW, { graceMinutes: 15, limit: 2 });
    expect([d.failing.count, d.failing.items.map((s) => s.name)]).toEqual([3, ["alpha failing", "hotel could not verify"]]);
    expect([d.uncovered.count, d.uncovered.items.map((s) => s.name)]).toEqual([5, ["charlie never run", "juliet failing for long"]]);
    expect(d.recentFailures.map((r) => r.id)).toEqual([f.run.r9, f.run.r2]);
    expect(d.recentAlarms.map((r) => r.id)).toEqual([f.run.r4, f.run.r2]);
  });

  it("should show everything as empty on a database without runs or schedules", async () => {
    const empty = await freshDatabase(provider);
    try {
      const d = await loadDashboard(empty.db, NOW, { graceMinutes: 15 });
      expect(d.periods.map((p) => p.total)).toEqual([0, 0, 0]);
      expect([d.failing.count, d.missed.count, d.uncovered.count, d.recentFailures.length, d.recentAlarms.length, d.scheduleCount]).toEqual(
        [0, 0, 0, 0, 0, 0],
      );
    } finally {
      await empty.drop();
    }
  });

  it("should give the home page's schedule table its first rows by name with their last run", async () => {
    const { rows, total } = await listSchedules(t.db, { limit: 3, now: NOW });
    expect(total).toBe(10);
    expect(rows.map((r) => r.name)).toEqual(["alpha failing", "bravo passing", "charlie never run"]);
    expect(rows[0]!.lastRun?.id).toBe(f.run.r2);
    expect(rows[0]!.lastSuccessful).toBe(false);
    expect(rows[2]!.lastRun).toBeNull();
  });

  it("should offer the forms the keys the portal recorded, by kind, without asking Jenkins", async () => {
    for (const [id, kind] of [
      ["zz-ssh", "ssh"],
      ["aa-ssh", "ssh"],
      ["backup-gpg", "gpg"],
    ] as const)
      await t.db.credentialRef.create({
        data: {
          id,
          kind,
          description: `${id} key`,
          fingerprint: `SHA256:${id}`,
          keyType: kind === "ssh" ? "ed25519" : "rsa4096",
          createdByEmail: "ann@example.test",
        },
      });
    expect(await storedCredentialChoices(t.db)).toEqual({
      ssh: [
        { id: "aa-ssh", description: "aa-ssh key", fingerprint: "SHA256:aa-ssh" },
        { id: "zz-ssh", description: "zz-ssh key", fingerprint: "SHA256:zz-ssh" },
      ],
      gpg: [{ id: "backup-gpg", description: "backup-gpg key", fingerprint: "SHA256:backup-gpg" }],
      // Asked nothing of Jenkins, the home page offers only the sandbox every pipeline job accepts.
      sandbox: { providers: ["local"], images: false },
    });
    await t.db.credentialRef.deleteMany({});
  });
});

describe("dashboard links to Results", () => {
  it("should cover the days a window touches in the user's time zone, with a filter the Results page accepts", () => {
    const window = { since: new Date("2026-03-07T23:30:00Z"), now: new Date("2026-03-08T04:00:00Z") };
    const newYork = new URL(resultsHref(window, "America/New_York", "failed"), "http://portal.test");
    expect(Object.fromEntries(newYork.searchParams)).toEqual({
      from: "2026-03-07",
      to: "2026-03-07",
      tz: "America/New_York",
      status: "failed",
    });
    const utc = new URL(resultsHref(window, "UTC"), "http://portal.test");
    expect(Object.fromEntries(utc.searchParams)).toEqual({ from: "2026-03-07", to: "2026-03-08", tz: "UTC" });
    for (const url of [newYork, utc]) expect(parseResultsFilters(url.searchParams).ok).toBe(true);
  });
});
