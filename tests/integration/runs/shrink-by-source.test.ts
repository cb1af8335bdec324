import { randomBytes } from "node:crypto";
import { parseAlarm } from "@/lib/runs/alarm";
import { applyClosing, closingFromReport, parseReport } from "@/lib/runs/close";
import { getRunView } from "@/lib/runs/view";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { reportObject } from "./support";

// The shrinking-backup alarm by backup source (issue 14 item 5): a one-off run is compared with
// the last passed run of the same host, path and database type; a scheduled run with its
// schedule's last passed run though the file names differ. A Chinook-like dump whose largest table
// lost all its rows never passes a one-off run without a word.

jest.setTimeout(60_000);

// Chinook's row counts (PlaylistTrack is the largest table).
const CHINOOK = [
  { schema: "main", name: "Album", rows: 347 },
  { schema: "main", name: "Artist", rows: 275 },
  { schema: "main", name: "Customer", rows: 59 },
  { schema: "main", name: "Employee", rows: 8 },
  { schema: "main", name: "Genre", rows: 25 },
  { schema: "main", name: "Invoice", rows: 412 },
  { schema: "main", name: "InvoiceLine", rows: 2240 },
  { schema: "main", name: "MediaType", rows: 5 },
  { schema: "main", name: "Playlist", rows: 18 },
  { schema: "main", name: "PlaylistTrack", rows: 8715 },
  { schema: "main", name: "Track", rows: 3503 },
];
const total = (tables: { rows: number }[]) => tables.reduce((n, t) => n + t.rows, 0);
const EMPTIED = CHINOOK.map((t) => (t.name === "PlaylistTrack" ? { ...t, rows: 0 } : t));

describe.each(PROVIDERS)("shrink alarm by backup source on %s", (provider) => {
  let t: TestDatabase;
  let minute = 0;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  interface Source {
    host?: string;
    path: string;
    scheduleId?: string | null;
  }

  /** A running run closed through applyClosing with a real report of `tables`; the stored row. */
  async function restore(source: Source, tables: typeof CHINOOK, bytes = 1_000_000) {
    const run = await t.db.restoreRun.create({
      data: {
        source: source.scheduleId ? "schedule" : "portal",
        scheduleId: source.scheduleId ?? null,
        parameters: "{}",
        backupHost: source.host ?? "music.example.test",
        backupPath: source.path,
        dbType: "sqlite",
        jobName: "restore-drill-pipeline",
        status: "running",
      },
    });
    const generatedAt = new Date(Date.UTC(2026, 0, 1, 10, 0, 30) + ++minute * 60_000).toISOString();
    const base = reportObject("passed", { runId: run.id, job: null, build: null });
    const report = {
      ...base,
      generatedAt,
      backup: { ...(base.backup as Record<string, unknown>), dbType: "sqlite", bytes },
      tables,
      totalRows: total(tables),
    };
    const parsed = parseReport(report);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(await applyClosing(t.db, run, closingFromReport(run, parsed.report, JSON.stringify(report)), { waitForAlarmMail: true })).toBe(
      true,
    );
    return t.db.restoreRun.findUniqueOrThrow({ where: { id: run.id } });
  }

  const uniquePath = () => `/srv/music/${randomBytes(4).toString("hex")}/chinook.db`;

  it("should warn on a one-off run whose largest table lost all its rows, against the last passed run of the same source", async () => {
    const path = uniquePath();
    const baseline = await restore({ path }, CHINOOK);
    expect(baseline.alarm).toBeNull();
    // Same size on disk (a truncated table leaves its pages), only the rows are gone.
    const run = await restore({ path }, EMPTIED);
    expect(run.status).toBe("passed");
    const alarm = parseAlarm(run.alarm);
    expect(alarm).toMatchObject({ mode: "warn", thresholdPct: 20, comparedWithRunId: baseline.id, comparedBy: "source" });
    expect(alarm?.drops).toEqual([
      { kind: "total-rows", before: 15_607, after: 6_892, dropPct: expect.closeTo(55.84, 2) },
      { kind: "table-emptied", table: "main.PlaylistTrack", rows: 8715 },
    ]);
    expect(alarm?.summary).toContain("of the same backup");
    expect(alarm?.summary).toContain("table main.PlaylistTrack is empty (it had 8,715 rows)");
    expect((await getRunView(t.db, run.id))?.alarm?.drops).toHaveLength(2);
  });

  it("should flag an emptied table even when the total stays within the threshold", async () => {
    const path = uniquePath();
    await restore({ path }, CHINOOK);
    const run = await restore(
      { path },
      CHINOOK.map((t) => (t.name === "Genre" ? { ...t, rows: 0 } : t)),
    );
    expect(parseAlarm(run.alarm)?.drops).toEqual([{ kind: "table-emptied", table: "main.Genre", rows: 25 }]);
  });

  it("should not compare a one-off run with another source (other path, other host)", async () => {
    const path = uniquePath();
    await restore({ path }, CHINOOK);
    expect((await restore({ path: uniquePath() }, EMPTIED)).alarm).toBeNull();
    expect((await restore({ path, host: "other.example.test" }, EMPTIED)).alarm).toBeNull();
  });

  it("should compare a one-off run with a scheduled run of the same source", async () => {
    const path = uniquePath();
    const schedule = await t.db.schedule.create({
      data: {
        name: `Chinook ${randomBytes(3).toString("hex")}`,
        jobName: `restore-drill-schedule-${randomBytes(4).toString("hex")}`,
        ownerEmail: "ann@example.test",
        parameters: "{}",
        frequency: "daily",
        time: "02:30",
        timeZone: "UTC",
        notifyEmails: "",
        createdByEmail: "ann@example.test",
        updatedByEmail: "ann@example.test",
      },
    });
    const scheduled = await restore({ path, scheduleId: schedule.id }, CHINOOK);
    const oneOff = await restore({ path }, EMPTIED);
    expect(parseAlarm(oneOff.alarm)).toMatchObject({ comparedWithRunId: scheduled.id, comparedBy: "source" });

    // The schedule keeps comparing with its own last passed run though the file name changed
    // (a rotated backup); the one-off run in between is not its baseline.
    const rotated = await restore({ path: path.replace("chinook.db", "chinook-2026-01-02.db"), scheduleId: schedule.id }, EMPTIED);
    expect(parseAlarm(rotated.alarm)).toMatchObject({ comparedWithRunId: scheduled.id, comparedBy: "schedule" });
  });
});
