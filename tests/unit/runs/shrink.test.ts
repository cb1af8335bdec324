import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ShrinkAlarmPanel } from "@/app/(portal)/runs/[id]/shrink-alarm";
import { describeDrop, parseAlarm, shrinkAlarmSchema } from "@/lib/runs/alarm";
import { withShrinkAlarm, type Closing } from "@/lib/runs/close";
import { evaluateShrink, type ShrinkSample } from "@/lib/runs/shrink";
import { shrinkAlarmMail } from "@/lib/runs/shrink-notify";

// The shrinking-backup alarm as a pure decision: a drop of MORE than the threshold raises it,
// exactly the threshold does not; a table that is gone always does.

const TABLES = [
  { schema: "shop", name: "customers", rows: 4_000 },
  { schema: "shop", name: "orders", rows: 6_000 },
];

function sample(overrides: Partial<ShrinkSample> = {}): ShrinkSample {
  return { runId: "run-before", backupBytes: 1_000_000n, totalRows: 10_000n, tables: TABLES, ...overrides };
}

const WARN = { thresholdPct: 20, failsRun: false };
const previous = sample({ finishedAt: new Date("2026-06-01T02:31:00.000Z") });
const now = (overrides: Partial<ShrinkSample>) => sample({ runId: "run-now", ...overrides });

describe("evaluateShrink", () => {
  it("should not alarm at exactly the threshold (20 % of 10,000 rows is 2,000)", () => {
    // 0.2 * 100 is 20.000000000000004 in floating point: the decision must not see "more than 20".
    expect(evaluateShrink(previous, now({ totalRows: 8_000n }), WARN)).toBeNull();
    expect(evaluateShrink(previous, now({ backupBytes: 800_000n }), WARN)).toBeNull();
    expect(evaluateShrink(sample({ totalRows: 10n }), now({ totalRows: 8n }), WARN)).toBeNull();
    expect(evaluateShrink(sample({ backupBytes: 1000 }), now({ backupBytes: 700 }), { thresholdPct: 30, failsRun: false })).toBeNull();
  });

  it("should not alarm just below the threshold", () => {
    expect(evaluateShrink(previous, now({ totalRows: 8_001n }), WARN)).toBeNull();
    expect(evaluateShrink(previous, now({ backupBytes: 800_001n }), WARN)).toBeNull();
  });

  it("should alarm just above the threshold, saying what dropped and by how much", () => {
    const rows = evaluateShrink(previous, now({ totalRows: 7_999n }), WARN);
    expect(rows).toEqual({
      mode: "warn",
      thresholdPct: 20,
      comparedWithRunId: "run-before",
      comparedWithAt: "2026-06-01T02:31:00.000Z",
      comparedBy: "schedule",
      drops: [{ kind: "total-rows", before: 10_000, after: 7_999, dropPct: 20.01 }],
      summary: "Backup shrank against the last passed run: total rows 10,000 → 7,999 (−20.01 %).",
    });
    expect(shrinkAlarmSchema.parse(rows)).toEqual(rows);

    const bytes = evaluateShrink(previous, now({ backupBytes: 799_999n }), WARN);
    expect(bytes?.drops).toEqual([{ kind: "backup-bytes", before: 1_000_000, after: 799_999, dropPct: 20.0001 }]);
  });

  it("should decide exactly on byte counts too large for a float's integer range", () => {
    const big = 2n ** 60n; // 20 % of it is not representable as a double
    const atThreshold = big - big / 5n;
    expect(evaluateShrink(sample({ backupBytes: big }), now({ backupBytes: atThreshold }), WARN)).toBeNull();
    expect(evaluateShrink(sample({ backupBytes: big }), now({ backupBytes: atThreshold - 1n }), WARN)?.drops[0]?.kind).toBe("backup-bytes");
  });

  it("should report every drop at once and name a table that is gone", () => {
    const alarm = evaluateShrink(previous, now({ totalRows: 4_000n, backupBytes: 500_000n, tables: [TABLES[0]!] }), {
      thresholdPct: 20,
      failsRun: true,
    });
    expect(alarm?.mode).toBe("fail");
    expect(alarm?.drops).toEqual([
      { kind: "total-rows", before: 10_000, after: 4_000, dropPct: 60 },
      { kind: "backup-bytes", before: 1_000_000, after: 500_000, dropPct: 50 },
      { kind: "table-gone", table: "shop.orders", rows: 6_000 },
    ]);
    expect(alarm?.summary).toBe(
      "Backup shrank against the last passed run: total rows 10,000 → 4,000 (−60 %); backup size 976.6 KB → 488.3 KB (−50 %); table shop.orders is gone (it had 6,000 rows).",
    );
  });

  it("should alarm on a gone table even when nothing else dropped, matching schema and name", () => {
    const moved = [TABLES[0]!, { schema: "archive", name: "orders", rows: 6_000 }];
    expect(evaluateShrink(previous, now({ tables: moved }), WARN)?.drops).toEqual([
      { kind: "table-gone", table: "shop.orders", rows: 6_000 },
    ]);
    // A new table, or more rows, is no alarm.
    expect(
      evaluateShrink(previous, now({ totalRows: 12_000n, tables: [...TABLES, { schema: "shop", name: "refunds", rows: 2_000 }] }), WARN),
    ).toBeNull();
    // Unknown tables (no readable report on either side): nothing is said to be gone.
    expect(evaluateShrink(sample({ tables: null }), now({ tables: [] }), WARN)).toBeNull();
    expect(evaluateShrink(previous, now({ tables: null }), WARN)).toBeNull();
  });

  it("should not alarm against a zero or unknown baseline, or without a previous passed run", () => {
    expect(
      evaluateShrink(sample({ totalRows: 0n, backupBytes: 0n, tables: [] }), now({ totalRows: 0n, backupBytes: 0n, tables: [] }), WARN),
    ).toBeNull();
    expect(evaluateShrink(sample({ totalRows: null, backupBytes: null }), now({ totalRows: 1n, backupBytes: 1n }), WARN)).toBeNull();
    expect(evaluateShrink(previous, now({ totalRows: null, backupBytes: null }), WARN)).toBeNull();
    expect(evaluateShrink(null, now({ totalRows: 1n }), WARN)).toBeNull();
  });

  it("should alarm when everything is gone (a 100 % drop)", () => {
    expect(evaluateShrink(previous, now({ totalRows: 0n, tables: TABLES }), { thresholdPct: 99, failsRun: false })?.drops).toEqual([
      { kind: "total-rows", before: 10_000, after: 0, dropPct: 100 },
    ]);
  });
});

describe("the alarm's effect on the verdict", () => {
  const closing: Closing = { status: "passed", failedStage: null, reasonCode: "OK", reason: "All good.", finishedAt: new Date() };
  const alarm = evaluateShrink(previous, now({ totalRows: 7_000n }), WARN)!;

  it("should leave a warned run passed and fail a run whose schedule says fail", () => {
    expect(withShrinkAlarm(closing, alarm)).toBe(closing);
    expect(withShrinkAlarm(closing, { ...alarm, mode: "fail" })).toMatchObject({
      status: "failed",
      reasonCode: "BACKUP_SHRANK",
      reason: alarm.summary,
      failedStage: null,
    });
  });

  it("should read a stored alarm back, and nothing from a broken one", () => {
    expect(parseAlarm(JSON.stringify(alarm))).toEqual(alarm);
    expect(parseAlarm("{not json")).toBeNull();
    expect(parseAlarm(JSON.stringify({ ...alarm, drops: [] }))).toBeNull();
    expect(parseAlarm(null)).toBeNull();
  });

  it("should show the alarm on the run page: what dropped, by how much, against which run", () => {
    const html = renderToStaticMarkup(createElement(ShrinkAlarmPanel, { alarm }));
    expect(html).toContain("Backup shrank.");
    expect(html).toContain("the run passed");
    expect(html).toContain("<li>total rows 10,000 → 7,000 (−30 %)</li>");
    expect(html).toContain('href="/runs/run-before"');
    expect(html).toContain("finished 2026-06-01 02:31:00 UTC");
    expect(html).toContain("more than 20 %");
    const failed = renderToStaticMarkup(createElement(ShrinkAlarmPanel, { alarm: { ...alarm, mode: "fail" } }));
    expect(failed).toContain("so this run is failed");
    expect(failed).toContain('class="notice error"');
  });

  it("should write plain-text mail naming the schedule, the drop and the links", () => {
    const mail = shrinkAlarmMail(
      { id: "sched1", name: "Shop nightly" },
      "run-now",
      { ...alarm, mode: "fail" },
      "https://drill.example.test/base",
    );
    expect(mail.subject).toBe('Restore Drill: backup of "Shop nightly" shrank - run failed');
    expect(mail.text).toContain("  - total rows 10,000 -> 7,000 (-30 %)");
    expect(mail.text).toContain("https://drill.example.test/base/runs/run-now");
    expect(mail.text).toContain("https://drill.example.test/base/runs/run-before");
    expect(mail.text).toContain("https://drill.example.test/base/schedules/sched1");
    expect(mail.text).toMatch(/marked failed \(BACKUP_SHRANK\)/);
    expect(describeDrop({ kind: "table-gone", table: "main.t" })).toBe("table main.t is gone");
  });
});
