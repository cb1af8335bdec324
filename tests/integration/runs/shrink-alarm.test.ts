import { randomBytes } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import type { Db } from "@/lib/db/client";
import { parseAlarm } from "@/lib/runs/alarm";
import { applyClosing, closingFromReport, parseReport, type ClosingOptions } from "@/lib/runs/close";
import { getRunView } from "@/lib/runs/view";
import { mailSettings, smtpMailer } from "@/lib/shared/mail";
import { scheduleDetail } from "@/lib/schedules/view";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from "@/tests/support/servers/smtp";
import { reportObject } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// The shrinking-backup alarm end to end through applyClosing (the one place every close goes
// through) on SQLite and PostgreSQL: real reports, the schedule's settings, the stored alarm and
// verdict, and the mail its recipients get over real SMTP (a local smtp-server catcher).

jest.setTimeout(60_000);

const PORTAL_URL = "http://portal.example.test:3000";

let smtp: SmtpCatcher;
let smtpUrl: string;
let caught: CaughtMail[];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  ({ url: smtpUrl, caught } = smtp);
});
afterAll(async () => {
  await smtp?.close();
});

/** Mail for this schedule only (the catcher is shared by both providers' tests). */
const mailFor = (scheduleName: string) => caught.filter((m) => m.data.includes(`"${scheduleName}"`));

/** A loopback port nothing listens on: SMTP to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Restored {
  rows?: number | null;
  bytes?: number | null;
  tables?: { schema: string; name: string; rows: number }[];
  verdict?: "passed" | "failed";
}

const TABLES = [
  { schema: "shop", name: "customers", rows: 4_000 },
  { schema: "shop", name: "orders", rows: 6_000 },
];

describe.each(PROVIDERS)("shrinking-backup alarm on %s", (provider) => {
  let t: TestDatabase;
  let minute = 0;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  const mail = (): ClosingOptions => ({
    alarmMail: { mailer: smtpMailer(mailSettings({ SMTP_URL: smtpUrl, MAIL_FROM: "drill@example.test" })!), portalUrl: PORTAL_URL },
    waitForAlarmMail: true,
  });

  async function schedule(
    db: Db,
    settings: { thresholdPct?: number; fails?: boolean; notify?: string } = {},
  ): Promise<{ id: string; name: string }> {
    const name = `Shop ${provider} ${randomBytes(3).toString("hex")}`;
    const row = await db.schedule.create({
      data: {
        name,
        jobName: `restore-drill-schedule-${randomBytes(4).toString("hex")}`,
        ownerEmail: "ann@example.test",
        parameters: "{}",
        frequency: "daily",
        time: "02:30",
        timeZone: "UTC",
        notifyEmails: settings.notify ?? "ops@example.test,dba@example.test",
        shrinkThresholdPct: settings.thresholdPct ?? 20,
        shrinkFailsRun: settings.fails ?? false,
        createdByEmail: "ann@example.test",
        updatedByEmail: "ann@example.test",
      },
    });
    return { id: row.id, name };
  }

  /** A running run of the schedule, closed through applyClosing with a real report; returns the stored row. */
  async function restore(scheduleId: string | null, what: Restored, options: ClosingOptions = mail()) {
    const run = await t.db.restoreRun.create({
      data: {
        source: scheduleId ? "schedule" : "portal",
        scheduleId,
        parameters: "{}",
        backupHost: "db1.example.test",
        backupPath: "/backups/shop.sql",
        dbType: "mysql",
        jobName: "restore-drill-pipeline",
        status: "running",
      },
    });
    // Each run finishes a minute after the previous one.
    const generatedAt = new Date(Date.UTC(2026, 0, 1, 10, 0, 30) + ++minute * 60_000).toISOString();
    const failed = what.verdict === "failed";
    const base = reportObject(what.verdict ?? "passed", { runId: run.id, job: null, build: null });
    const report = {
      ...base,
      generatedAt,
      backup: { ...(base.backup as Record<string, unknown>), bytes: what.bytes === undefined ? 1_000_000 : what.bytes },
      tables: failed ? [] : (what.tables ?? TABLES),
      totalRows: failed ? null : what.rows === undefined ? 10_000 : what.rows,
    };
    const parsed = parseReport(report);
    if (!parsed.ok) throw new Error(parsed.problem);
    const closed = await applyClosing(t.db, run, closingFromReport(run, parsed.report, JSON.stringify(report)), options);
    expect(closed).toBe(true);
    return t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } });
  }

  const auditOf = (runId: string) => t.db.auditEvent.findMany({ where: { action: "run.shrink-alarm", target: runId } });

  it.each([
    ["exactly at the threshold", 8_000, false],
    ["just below the threshold", 8_001, false],
    ["just above the threshold", 7_999, true],
  ])("should decide %s (10,000 rows -> %d, more than 20 %% alarms)", async (_what, rows, alarmed) => {
    const s = await schedule(t.db);
    const before = await restore(s.id, { rows: 10_000 });
    expect(before.alarm).toBeNull();
    const run = await restore(s.id, { rows });
    expect(run.status).toBe("passed");
    if (!alarmed) {
      expect(run.alarm).toBeNull();
      expect(await auditOf(run.id)).toEqual([]);
      expect(mailFor(s.name)).toEqual([]);
      expect((await scheduleDetail(t.db, s.id))?.history.find((h) => h.id === run.id)?.shrank).toBe(false);
      return;
    }
    expect(parseAlarm(run.alarm)).toEqual({
      mode: "warn",
      thresholdPct: 20,
      comparedWithRunId: before.id,
      comparedWithAt: before.finishedAt!.toISOString(),
      comparedBy: "schedule",
      drops: [{ kind: "total-rows", before: 10_000, after: 7_999, dropPct: 20.01 }],
      summary: "Backup shrank against the last passed run: total rows 10,000 → 7,999 (−20.01 %).",
    });
    const sent = mailFor(s.name);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to.sort()).toEqual(["dba@example.test", "ops@example.test"]);
    expect(sent[0]!.data).toContain(`Subject: Restore Drill: backup of "${s.name}" shrank`);
    expect(sent[0]!.data).not.toContain("run failed");
    expect(sent[0]!.data).toContain("total rows 10,000 -> 7,999 (-20.01 %)");
    expect(sent[0]!.data).toContain(`${PORTAL_URL}/runs/${run.id}`);
    expect(sent[0]!.data).toContain(`${PORTAL_URL}/runs/${before.id}`);
    const [audit] = await auditOf(run.id);
    expect(audit).toMatchObject({ outcome: "success" });
    expect(JSON.parse(audit!.details!)).toMatchObject({ mode: "warn", mailed: true, to: ["ops@example.test", "dba@example.test"] });
    // The run page shows it, and the schedule's history marks the run.
    expect((await getRunView(t.db, run.id))?.alarm?.drops).toEqual([{ kind: "total-rows", before: 10_000, after: 7_999, dropPct: 20.01 }]);
    expect((await scheduleDetail(t.db, s.id))?.history.find((h) => h.id === run.id)?.shrank).toBe(true);
  });

  it("should fail the run when the schedule says so, name every drop in the mail, and keep measuring against the last passed run", async () => {
    const s = await schedule(t.db, { thresholdPct: 25, fails: true });
    const baseline = await restore(s.id, { rows: 10_000, bytes: 1_000_000 });
    const shrunk = await restore(s.id, { rows: 4_000, bytes: 600_000, tables: [TABLES[0]!] });

    expect(shrunk).toMatchObject({
      status: "failed",
      reasonCode: "BACKUP_SHRANK",
      failedStage: null,
      totalRows: 4_000n,
      backupBytes: 600_000n,
    });
    const alarm = parseAlarm(shrunk.alarm);
    expect(alarm).toMatchObject({ mode: "fail", thresholdPct: 25, comparedWithRunId: baseline.id });
    expect(alarm?.drops).toEqual([
      { kind: "total-rows", before: 10_000, after: 4_000, dropPct: 60 },
      { kind: "backup-bytes", before: 1_000_000, after: 600_000, dropPct: 40 },
      { kind: "table-gone", table: "shop.orders", rows: 6_000 },
    ]);
    expect(shrunk.reason).toBe(alarm?.summary);
    // The pipeline's own report (which says passed) is kept as it came.
    expect(JSON.parse(shrunk.report!).verdict).toBe("passed");

    const sent = mailFor(s.name);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toContain(`Subject: Restore Drill: backup of "${s.name}" shrank - run failed`);
    for (const line of [
      "total rows 10,000 -> 4,000 (-60 %)",
      "backup size 976.6 KB -> 585.9 KB (-40 %)",
      "table shop.orders is gone (it had 6,000 rows)",
      "marked failed (BACKUP_SHRANK)",
      `${PORTAL_URL}/schedules/${s.id}`,
    ])
      expect(sent[0]!.data).toContain(line);

    // The failed run is not a baseline: 7,000 is measured against 10,000 (−30 %), not 4,000.
    const next = await restore(s.id, { rows: 7_000, bytes: 1_000_000 });
    expect(next.status).toBe("failed");
    expect(parseAlarm(next.alarm)).toMatchObject({
      comparedWithRunId: baseline.id,
      drops: [{ kind: "total-rows", before: 10_000, after: 7_000, dropPct: 30 }],
    });
    // Back to size: passes, no alarm.
    const recovered = await restore(s.id, { rows: 10_000, bytes: 1_000_000 });
    expect(recovered).toMatchObject({ status: "passed", alarm: null });
  });

  it("should compare only passed runs of the same schedule", async () => {
    const s = await schedule(t.db);
    const other = await schedule(t.db);
    await restore(s.id, { rows: 10_000 });
    // A failed restore in between is not a baseline, and is itself not compared.
    const failed = await restore(s.id, { verdict: "failed" });
    expect(failed).toMatchObject({ status: "failed", alarm: null });
    // Another schedule's first run has nothing to compare with.
    expect((await restore(other.id, { rows: 10 })).alarm).toBeNull();
    // A one-off run (no schedule) is compared with the last passed run of the same backup source
    // (tests/integration/runs/shrink-by-source.test.ts), here the other schedule's; it only warns.
    const oneOff = await restore(null, { rows: 1 });
    expect(oneOff.status).toBe("passed");
    expect(parseAlarm(oneOff.alarm)).toMatchObject({ mode: "warn", comparedBy: "source" });
    const run = await restore(s.id, { rows: 5_000 });
    expect(parseAlarm(run.alarm)?.drops).toEqual([{ kind: "total-rows", before: 10_000, after: 5_000, dropPct: 50 }]);
  });

  it("should keep the close and flag the run when the mail cannot be sent, and say so in the audit trail", async () => {
    const s = await schedule(t.db, { fails: true });
    await restore(s.id, {});
    const refused = smtpMailer(mailSettings({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` })!);
    const run = await restore(s.id, { rows: 1_000 }, { alarmMail: { mailer: refused, portalUrl: PORTAL_URL }, waitForAlarmMail: true });
    expect(run).toMatchObject({ status: "failed", reasonCode: "BACKUP_SHRANK" });
    expect(parseAlarm(run.alarm)?.mode).toBe("fail");
    const [audit] = await auditOf(run.id);
    expect(audit).toMatchObject({ outcome: "failure" });
    expect(JSON.parse(audit!.details!)).toMatchObject({ mailed: false, why: expect.stringMatching(/^sending failed/) });
  });

  it("should flag the run without mail when SMTP is not configured or nobody is to be told", async () => {
    for (const [settings, why] of [
      [{}, "SMTP_URL is not set"],
      [{ notify: "" }, "the schedule has no recipients"],
    ] as const) {
      const s = await schedule(t.db, settings);
      await restore(s.id, {});
      const options: ClosingOptions =
        "notify" in settings ? mail() : { alarmMail: { mailer: null, portalUrl: PORTAL_URL }, waitForAlarmMail: true };
      const run = await restore(s.id, { rows: 100 }, options);
      expect(run.status).toBe("passed");
      expect(parseAlarm(run.alarm)?.drops[0]).toMatchObject({ kind: "total-rows", after: 100 });
      const [audit] = await auditOf(run.id);
      expect(JSON.parse(audit!.details!)).toMatchObject({ mailed: false, why });
      expect(mailFor(s.name)).toEqual([]);
    }
  });

  it("should mail once when two closers race (callback vs reconciler): only the one that closed the run mails", async () => {
    const s = await schedule(t.db);
    await restore(s.id, {});
    const run = await t.db.restoreRun.create({
      data: {
        source: "schedule",
        scheduleId: s.id,
        parameters: "{}",
        backupHost: "h",
        backupPath: "/p",
        dbType: "mysql",
        jobName: "restore-drill-pipeline",
        status: "running",
      },
    });
    const report = {
      ...reportObject("passed", { runId: run.id, job: null, build: null }),
      generatedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, 30) + ++minute * 60_000).toISOString(),
      totalRows: 10,
    };
    const parsed = parseReport(report);
    if (!parsed.ok) throw new Error(parsed.problem);
    const close = () => applyClosing(t.db, run, closingFromReport(run, parsed.report, JSON.stringify(report)), mail());
    const results = await Promise.all([close(), close(), close()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await auditOf(run.id)).toHaveLength(1);
    expect(mailFor(s.name)).toHaveLength(1);
  });
});
