import { backupProblems } from "@/lib/dashboard/backup-problems";
import { freshDatabase, PROVIDERS, type TestDatabase } from "@/tests/support/databases";
import { seedRun, seedSchedule } from "@/tests/integration/results/support";

// The dashboard's "Stale and missing backups": per source, the newest problem run unless a later
// run of that source passed; the stale file's age read from the stored report.

const NOW = new Date("2026-06-15T12:00:00.000Z");
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);

describe.each(PROVIDERS)("stale and missing backups on %s", (provider) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(provider);
  });
  afterEach(() => t.drop());

  it("should list each source's newest stale or missing run, and drop sources that passed since", async () => {
    const nightly = await seedSchedule(t.db, "nightly");
    const weekly = await seedSchedule(t.db, "weekly");
    const problem = async (hoursAgo: number, reasonCode: string, extra: { scheduleId?: string; backupPath?: string; report?: string }) => {
      const id = await seedRun(t.db, {
        createdAt: at(hoursAgo),
        status: "failed",
        scheduleId: extra.scheduleId,
        backupPath: extra.backupPath,
      });
      await t.db.restoreRun.update({ where: { id }, data: { reasonCode, report: extra.report ?? null } });
      return id;
    };
    const selection = { directory: "/b", pattern: "n-*.gz", file: "/b/n-1.gz", mtime: "2026-06-14T00:00:00Z", bytes: 1, matches: 2 };
    const report = JSON.stringify({ backup: { selection: { ...selection, ageSeconds: 36 * 3600, maxAgeHours: 26, stale: true } } });
    await problem(30, "BACKUP_MISSING", { scheduleId: nightly });
    const nightlyStale = await problem(5, "BACKUP_STALE", { scheduleId: nightly, report });
    await problem(10, "BACKUP_MISSING", { scheduleId: weekly });
    await seedRun(t.db, { createdAt: at(2), status: "passed", scheduleId: weekly }); // weekly recovered
    const oneOff = await problem(3, "BACKUP_MISSING", { backupPath: "/srv/gone" });
    await seedRun(t.db, { createdAt: at(1), status: "failed", backupPath: "/srv/other" }); // another failure: not listed

    const names = new Map([
      [nightly, "nightly"],
      [weekly, "weekly"],
    ]);
    const list = await backupProblems(t.db, names, { since: at(24 * 30), now: NOW, limit: 10 });
    expect(list.map((p) => [p.id, p.reasonCode, p.schedule?.name ?? null])).toEqual([
      [oneOff, "BACKUP_MISSING", null],
      [nightlyStale, "BACKUP_STALE", "nightly"],
    ]);
    expect(list[1]!.selection).toMatchObject({ file: "/b/n-1.gz", ageSeconds: 36 * 3600, maxAgeHours: 26, stale: true });
    expect(list[0]!.selection).toBeNull();
  });
});
