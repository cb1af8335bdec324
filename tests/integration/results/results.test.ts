import { resultsPage, type RunCursor } from "@/lib/results/query";
import { freshDatabase, PROVIDERS, type TestDatabase } from "@/tests/support/databases";
import { resultsFilters, seedRun, seedSchedule } from "./support";

const ids = async (t: TestDatabase, params: Record<string, string>) =>
  (await resultsPage(t.db, resultsFilters(params), null, 1000)).runs.map((r) => r.id);

describe.each(PROVIDERS)("results list on %s", (provider) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(provider);
  });
  afterEach(() => t.drop());

  it("should include both whole days of an inclusive range in UTC, and nothing either side", async () => {
    const before = await seedRun(t.db, { createdAt: new Date("2026-03-06T23:59:59.999Z") });
    const atStart = await seedRun(t.db, { createdAt: new Date("2026-03-07T00:00:00.000Z") });
    const atEnd = await seedRun(t.db, { createdAt: new Date("2026-03-08T23:59:59.999Z") });
    const after = await seedRun(t.db, { createdAt: new Date("2026-03-09T00:00:00.000Z") });
    expect(await ids(t, { from: "2026-03-07", to: "2026-03-08" })).toEqual([atEnd, atStart]);
    expect(await ids(t, { from: "2026-03-09" })).toEqual([after]);
    expect(await ids(t, { to: "2026-03-06" })).toEqual([before]);
    expect(await ids(t, {})).toEqual([after, atEnd, atStart, before]);
  });

  it("should take the days in the user's time zone across New York's spring-forward day", async () => {
    // 8 March 2026 in New York runs from 05:00Z (EST) to 04:00Z next day (EDT): 23 hours.
    const lateOnThe7th = await seedRun(t.db, { createdAt: new Date("2026-03-08T04:59:59.999Z") });
    const firstInstant = await seedRun(t.db, { createdAt: new Date("2026-03-08T05:00:00.000Z") });
    const lastInstant = await seedRun(t.db, { createdAt: new Date("2026-03-09T03:59:59.999Z") });
    const earlyOnThe9th = await seedRun(t.db, { createdAt: new Date("2026-03-09T04:00:00.000Z") });
    expect(await ids(t, { from: "2026-03-08", to: "2026-03-08", tz: "America/New_York" })).toEqual([lastInstant, firstInstant]);
    expect(await ids(t, { from: "2026-03-09", to: "2026-03-09", tz: "America/New_York" })).toEqual([earlyOnThe9th]);
    expect(await ids(t, { to: "2026-03-07", tz: "America/New_York" })).toEqual([lateOnThe7th]);
    // The same day in UTC is a different set of runs.
    expect(await ids(t, { from: "2026-03-08", to: "2026-03-08" })).toEqual([firstInstant, lateOnThe7th]);
  });

  it("should apply every filter, alone and together", async () => {
    const nightly = await seedSchedule(t.db, "nightly");
    const weekly = await seedSchedule(t.db, "weekly");
    const seeds = [
      { status: "passed", dbType: "postgresql", backupHost: "pg1.example.test", scheduleId: nightly, startedByEmail: null },
      { status: "failed", dbType: "mysql", backupHost: "my1.example.test", scheduleId: null, startedByEmail: "bob@example.test" },
      { status: "could-not-verify", dbType: "sqlite", backupHost: "pg1.example.test", scheduleId: weekly, startedByEmail: null },
      { status: "passed", dbType: "mysql", backupHost: "my1.example.test", scheduleId: null, startedByEmail: "ann@example.test" },
      { status: "aborted", dbType: "postgresql", backupHost: "pg1.example.test", scheduleId: null, startedByEmail: "bob@example.test" },
      { status: "failed-to-start", dbType: "postgresql", backupHost: "pg2.example.test", scheduleId: nightly, startedByEmail: null },
      { status: "queued", dbType: "sqlite", backupHost: "sq.example.test", scheduleId: null, startedByEmail: "ann@example.test" },
      { status: "running", dbType: "mysql", backupHost: "my1.example.test", scheduleId: weekly, startedByEmail: null },
    ];
    const rows: ((typeof seeds)[number] & { id: string })[] = [];
    for (const [i, seed] of seeds.entries())
      rows.push({ ...seed, id: await seedRun(t.db, { ...seed, createdAt: new Date(Date.UTC(2026, 0, 1 + i, 12)) }) });
    const expected = (keep: (r: (typeof rows)[number]) => boolean) =>
      rows
        .filter(keep)
        .map((r) => r.id)
        .reverse();

    for (const status of ["passed", "failed", "could-not-verify", "aborted", "failed-to-start", "queued", "running"])
      expect(await ids(t, { status })).toEqual(expected((r) => r.status === status));
    for (const dbType of ["postgresql", "mysql", "sqlite"]) expect(await ids(t, { dbType })).toEqual(expected((r) => r.dbType === dbType));
    expect(await ids(t, { schedule: nightly })).toEqual(expected((r) => r.scheduleId === nightly));
    expect(await ids(t, { host: "my1.example.test" })).toEqual(expected((r) => r.backupHost === "my1.example.test"));
    expect(await ids(t, { startedBy: "bob@example.test" })).toEqual(expected((r) => r.startedByEmail === "bob@example.test"));
    expect(await ids(t, { status: "passed", dbType: "mysql", startedBy: "ann@example.test" })).toEqual(
      expected((r) => r.status === "passed" && r.dbType === "mysql" && r.startedByEmail === "ann@example.test"),
    );
    expect(await ids(t, { host: "pg1.example.test", from: "2026-01-03", to: "2026-01-05" })).toEqual(
      expected((r, i = rows.indexOf(r)) => r.backupHost === "pg1.example.test" && i >= 2 && i <= 4),
    );
    expect(await ids(t, { schedule: "cmnosuchschedule" })).toEqual([]);
    expect(await ids(t, {})).toHaveLength(seeds.length);
  });

  it("should page newest first with no duplicates or gaps, also among runs sharing a timestamp", async () => {
    const shared = new Date("2026-04-01T10:00:00.000Z");
    for (let i = 0; i < 23; i++)
      await seedRun(t.db, {
        createdAt: i % 3 === 0 ? shared : new Date(shared.getTime() + (i - 11) * 60_000),
        status: i % 2 ? "passed" : "failed",
      });
    const all = await t.db.restoreRun.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, status: true } });

    for (const params of [{}, { status: "failed" }] as Record<string, string>[]) {
      const filters = resultsFilters(params);
      const seen: string[] = [];
      let cursor: RunCursor | null = null;
      let pages = 0;
      for (;;) {
        const page: Awaited<ReturnType<typeof resultsPage>> = await resultsPage(t.db, filters, cursor, 5);
        pages++;
        seen.push(...page.runs.map((r) => r.id));
        if (!page.next) break;
        const last = page.runs.at(-1)!;
        expect(page.next).toBe(`${last.createdAt.getTime()}_${last.id}`);
        cursor = { createdAt: last.createdAt, id: last.id };
      }
      const want = all.filter((r) => !("status" in params) || r.status === params.status).map((r) => r.id);
      expect(seen).toEqual(want);
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(Math.ceil(want.length / 5));
    }
  });
});
