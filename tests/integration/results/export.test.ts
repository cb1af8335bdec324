import { auditActions, exportAuditCsv, auditPage, type AuditCursor } from "@/lib/audit/query";
import { recordAudit } from "@/lib/audit/record";
import { exportResultsCsv, RESULTS_CSV_HEADER } from "@/lib/results/export";
import { EXPORT_BATCH_SIZE } from "@/lib/results/query";
import { freshDatabase, PROVIDERS, type TestDatabase } from "@/tests/support/databases";
import { auditFilters, bodyText, parseCsv, resultsFilters, runData, seedRun, seedSchedule } from "./support";

const actor = { id: "u1", email: "ann@example.test" };

describe.each(PROVIDERS)("CSV exports on %s", (provider) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(provider);
  });
  afterEach(() => t.drop());

  it("should export the filtered runs with quoting and defused formulas, and audit the export", async () => {
    const nightly = await seedSchedule(t.db, "nightly, main");
    const hostile = await seedRun(t.db, {
      createdAt: new Date("2026-02-02T10:00:00Z"),
      status: "failed",
      backupPath: '=HYPERLINK("http://evil.test","x")',
      reason: 'dump "cut", short\nsecond line',
      scheduleId: nightly,
      startedByEmail: null,
    });
    const plain = await seedRun(t.db, { createdAt: new Date("2026-02-01T10:00:00Z"), status: "failed", backupPath: "-/backups/minus.sql" });
    await seedRun(t.db, { createdAt: new Date("2026-02-03T10:00:00Z"), status: "passed" });
    await seedRun(t.db, { createdAt: new Date("2026-01-31T10:00:00Z"), status: "failed" });

    const response = await exportResultsCsv(t.db, resultsFilters({ status: "failed", from: "2026-02-01", to: "2026-02-02" }), {
      actor,
      address: "192.0.2.7",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="restore-drill-results.csv"');
    const [header, ...rows] = parseCsv(await bodyText(response));
    expect(header).toEqual([...RESULTS_CSV_HEADER]);
    expect(rows.map((r) => r[0])).toEqual([hostile, plain]);
    const col = (name: (typeof RESULTS_CSV_HEADER)[number]) => RESULTS_CSV_HEADER.indexOf(name);
    const [first, second] = rows as [string[], string[]];
    expect(first[col("backup_path")]).toBe(`'=HYPERLINK("http://evil.test","x")`);
    expect(first[col("reason")]).toBe('dump "cut", short\nsecond line');
    expect(first[col("schedule")]).toBe("nightly, main");
    expect(first[col("started_by")]).toBe("");
    expect(first[col("created_at_utc")]).toBe("2026-02-02T10:00:00.000Z");
    expect(first[col("run_page")]).toBe(`/runs/${hostile}`);
    expect(second[col("backup_path")]).toBe("'-/backups/minus.sql");
    expect(second[col("verdict")]).toBe("failed");

    const events = await t.db.auditEvent.findMany({ where: { action: "results.export" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorEmail: "ann@example.test", outcome: "success", address: "192.0.2.7" });
    expect(JSON.parse(events[0]!.details!)).toEqual({ filters: { tz: "UTC", from: "2026-02-01", to: "2026-02-02", status: "failed" } });
  });

  it("should stream every run across several batches, each exactly once, newest first", async () => {
    const total = EXPORT_BATCH_SIZE * 2 + 37;
    const base = Date.UTC(2026, 5, 1);
    // Blocks of runs share a timestamp so batch edges fall inside ties.
    const data = Array.from({ length: total }, (_, i) => runData({ createdAt: new Date(base + Math.floor(i / 7) * 1000) }));
    for (let i = 0; i < data.length; i += 500) await t.db.restoreRun.createMany({ data: data.slice(i, i + 500) });
    const want = (await t.db.restoreRun.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } })).map(
      (r) => r.id,
    );

    const response = await exportResultsCsv(t.db, resultsFilters({}), { actor, address: null });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let chunks = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks++;
      text += decoder.decode(r.value, { stream: true });
    }
    const [, ...rows] = parseCsv(text);
    expect(rows.map((r) => r[0])).toEqual(want);
    // header + one chunk per keyset batch: the body was produced a batch at a time.
    expect(chunks).toBe(1 + Math.ceil(total / EXPORT_BATCH_SIZE));
  });

  it("should export the tested file's age against its limit, and filter stale backups", async () => {
    const selection = {
      directory: "/backups",
      pattern: "shop-*.sql.gz",
      file: "/backups/shop-3.sql.gz",
      mtime: "2026-02-01T09:00:00Z",
      bytes: 123,
      matches: 3,
      ageSeconds: 30 * 3600,
      maxAgeHours: 26,
      stale: true,
      nameDate: null,
      restores: true,
    };
    const stale = await seedRun(t.db, { createdAt: new Date("2026-02-02T10:00:00Z"), status: "failed" });
    await t.db.restoreRun.update({
      where: { id: stale },
      data: { reasonCode: "BACKUP_STALE", report: JSON.stringify({ backup: { selection } }) },
    });
    await seedRun(t.db, { createdAt: new Date("2026-02-02T11:00:00Z"), status: "failed" });
    const response = await exportResultsCsv(t.db, resultsFilters({ backup: "stale" }), { actor, address: null });
    const [, ...rows] = parseCsv(await bodyText(response));
    const col = (name: (typeof RESULTS_CSV_HEADER)[number]) => RESULTS_CSV_HEADER.indexOf(name);
    expect(rows).toHaveLength(1);
    expect(rows[0]![0]).toBe(stale);
    expect(
      [col("backup_file"), col("backup_modified_utc"), col("backup_age_hours"), col("backup_max_age_hours"), col("backup_matches")].map(
        (c) => rows[0]![c],
      ),
    ).toEqual(["/backups/shop-3.sql.gz", "2026-02-01T09:00:00Z", "30", "26", "3"]);
  });

  it("should export an empty filtered set as just the header", async () => {
    await seedRun(t.db, { createdAt: new Date("2026-02-02T10:00:00Z") });
    const response = await exportResultsCsv(t.db, resultsFilters({ dbType: "mysql" }), { actor, address: null });
    expect(parseCsv(await bodyText(response))).toEqual([[...RESULTS_CSV_HEADER]]);
  });

  it("should filter the audit trail by inclusive days in a time zone, action and outcome, and page it", async () => {
    const event = (at: string, action: string, outcome: "success" | "failure" | "denied" = "success") =>
      t.db.auditEvent
        .create({ data: { at: new Date(at), action, outcome, actorEmail: "ann@example.test" }, select: { id: true } })
        .then((e) => e.id);
    // 1 November 2026 in New York (fall-back day, 25 hours): 04:00Z to 05:00Z next day.
    await event("2026-11-01T03:59:59.999Z", "user.add");
    const first = await event("2026-11-01T04:00:00.000Z", "user.add");
    const failed = await event("2026-11-01T12:00:00.000Z", "signin", "failure");
    const last = await event("2026-11-02T04:59:59.999Z", "user.add");
    await event("2026-11-02T05:00:00.000Z", "user.add");

    const ids = async (params: Record<string, string>, size = 50) => {
      const filters = auditFilters(params);
      const out: string[] = [];
      let cursor: AuditCursor | null = null;
      for (;;) {
        const page: Awaited<ReturnType<typeof auditPage>> = await auditPage(t.db, cursor, size, filters);
        out.push(...page.events.map((e) => e.id));
        const tail = page.events.at(-1);
        if (!page.next || !tail) return out;
        cursor = { at: tail.at, id: tail.id };
      }
    };
    const day = { from: "2026-11-01", to: "2026-11-01", tz: "America/New_York" };
    expect(await ids(day)).toEqual([last, failed, first]);
    expect(await ids(day, 1)).toEqual([last, failed, first]);
    expect(await ids({ ...day, action: "user.add" })).toEqual([last, first]);
    expect(await ids({ ...day, outcome: "failure" })).toEqual([failed]);
    expect(await ids({})).toHaveLength(5);
    // The action filter offers each distinct action once, in order.
    expect(await auditActions(t.db)).toEqual(["signin", "user.add"]);
  });

  it("should export the filtered audit trail as CSV and record the export with its filters", async () => {
    await recordAudit(t.db, { actor, action: "user.add", target: "=cmd|' /C calc'!A0", outcome: "success", details: { role: "user" } });
    await recordAudit(t.db, { actor, action: "signin", outcome: "failure" });
    const response = await exportAuditCsv(t.db, auditFilters({ action: "user.add" }), { actor, address: "192.0.2.9" });
    const [header, ...rows] = parseCsv(await bodyText(response));
    expect(header).toEqual(["at_utc", "actor", "action", "target", "outcome", "details", "address"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(1, 6)).toEqual(["ann@example.test", "user.add", "'=cmd|' /C calc'!A0", "success", '{"role":"user"}']);
    const recorded = await t.db.auditEvent.findMany({ where: { action: "audit.export" } });
    expect(recorded).toHaveLength(1);
    expect(JSON.parse(recorded[0]!.details!)).toEqual({ filters: { tz: "UTC", action: "user.add" } });
  });
});
