import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { lastReconcileSuccess } from "@/lib/runs/reconcile-health";

// Prometheus text exposition (format 0.0.4) of what monitoring asks about restores: per schedule
// the last verdict, when it last passed, how old that test is, and its duration, rows and bytes;
// run counts by verdict; runs queued and running; the reconciler's last good round.

const VERDICTS = ["passed", "failed", "could-not-verify", "aborted", "failed-to-start"] as const;

/** A label value as the format wants it: backslash, double quote and newline escaped. */
export const labelValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

class Exposition {
  private lines: string[] = [];
  family(name: string, type: "gauge" | "counter", help: string, samples: { labels?: Record<string, string>; value: number }[]) {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const s of samples) {
      const labels = s.labels
        ? `{${Object.entries(s.labels)
            .map(([k, v]) => `${k}="${labelValue(v)}"`)
            .join(",")}}`
        : "";
      this.lines.push(`${name}${labels} ${Number.isFinite(s.value) ? s.value : "NaN"}`);
    }
  }
  text = () => this.lines.join("\n") + "\n";
}

const seconds = (d: Date) => Math.round(d.getTime() / 1000);

// The one fact of a stored report the metrics read: the modification time of the file decrypt chose.
const testedFileSchema = z.object({ backup: z.object({ selection: z.object({ mtime: z.iso.datetime() }).nullish() }) });

/** When the backup a run tested was written (its file's modification time), if the report says. */
function testedBackupTime(report: string | null): Date | null {
  try {
    const mtime = testedFileSchema.safeParse(JSON.parse(report ?? "null")).data?.backup.selection?.mtime;
    return mtime ? new Date(mtime) : null;
  } catch {
    return null;
  }
}

export async function renderMetrics(db: Db, now = new Date()): Promise<string> {
  const schedules = await db.schedule.findMany({ select: { id: true, name: true, enabled: true }, orderBy: { name: "asc" } });
  const verdictFilter = { status: { in: [...VERDICTS] } };
  const perSchedule = await Promise.all(
    schedules.map(async (s) => {
      const [last, lastPassed] = await Promise.all([
        db.restoreRun.findFirst({
          where: { scheduleId: s.id, ...verdictFilter },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          select: { status: true, finishedAt: true, createdAt: true, durationMs: true, totalRows: true, backupBytes: true, report: true },
        }),
        db.restoreRun.findFirst({
          where: { scheduleId: s.id, status: "passed" },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          select: { finishedAt: true, createdAt: true },
        }),
      ]);
      return { s, last, lastPassed };
    }),
  );
  const byStatus = await db.restoreRun.groupBy({ by: ["status"], _count: { _all: true } });
  const count = (status: string) => byStatus.find((g) => g.status === status)?._count._all ?? 0;

  const out = new Exposition();
  const label = (s: { id: string; name: string }) => ({ schedule_id: s.id, schedule: s.name });
  out.family(
    "restore_drill_schedule_enabled",
    "gauge",
    "1 when the schedule's timer is on, 0 when paused.",
    schedules.map((s) => ({ labels: label(s), value: s.enabled ? 1 : 0 })),
  );
  out.family(
    "restore_drill_schedule_last_verdict",
    "gauge",
    "1 for the verdict of the schedule's newest finished run, 0 for the others.",
    perSchedule.flatMap(({ s, last }) =>
      last ? VERDICTS.map((v) => ({ labels: { ...label(s), verdict: v }, value: last.status === v ? 1 : 0 })) : [],
    ),
  );
  out.family(
    "restore_drill_schedule_last_passed_timestamp_seconds",
    "gauge",
    "Unix time the schedule's newest passed run finished.",
    perSchedule.flatMap(({ s, lastPassed }) =>
      lastPassed ? [{ labels: label(s), value: seconds(lastPassed.finishedAt ?? lastPassed.createdAt) }] : [],
    ),
  );
  out.family(
    "restore_drill_schedule_last_test_age_seconds",
    "gauge",
    "Seconds since the schedule's newest finished run ended: how old the last tested backup's verdict is.",
    perSchedule.flatMap(({ s, last }) =>
      last ? [{ labels: label(s), value: Math.max(0, seconds(now) - seconds(last.finishedAt ?? last.createdAt)) }] : [],
    ),
  );
  out.family(
    "restore_drill_schedule_last_backup_age_seconds",
    "gauge",
    "Age of the backup file the schedule's newest finished run tested (now minus its modification time): the RPO actually achieved.",
    perSchedule.flatMap(({ s, last }) => {
      const written = last ? testedBackupTime(last.report) : null;
      return written ? [{ labels: label(s), value: Math.max(0, seconds(now) - seconds(written)) }] : [];
    }),
  );
  const lastValue = (name: string, help: string, pick: (l: NonNullable<(typeof perSchedule)[number]["last"]>) => number | null) =>
    out.family(
      name,
      "gauge",
      help,
      perSchedule.flatMap(({ s, last }) => {
        const v = last ? pick(last) : null;
        return v === null ? [] : [{ labels: label(s), value: v }];
      }),
    );
  lastValue("restore_drill_schedule_last_duration_seconds", "Duration of the schedule's newest finished run.", (l) =>
    l.durationMs === null ? null : l.durationMs / 1000,
  );
  lastValue("restore_drill_schedule_last_rows", "Rows read back by the schedule's newest finished run.", (l) =>
    l.totalRows === null ? null : Number(l.totalRows),
  );
  lastValue("restore_drill_schedule_last_backup_bytes", "Size of the backup the schedule's newest finished run restored.", (l) =>
    l.backupBytes === null ? null : Number(l.backupBytes),
  );
  out.family(
    "restore_drill_runs_total",
    "counter",
    "Runs recorded by the portal, by verdict.",
    VERDICTS.map((v) => ({ labels: { verdict: v }, value: count(v) })),
  );
  out.family(
    "restore_drill_runs_open",
    "gauge",
    "Runs queued in Jenkins or running now.",
    (["queued", "running"] as const).map((state) => ({ labels: { state }, value: count(state) })),
  );
  const ok = lastReconcileSuccess();
  out.family(
    "restore_drill_reconciler_last_success_timestamp_seconds",
    "gauge",
    "Unix time of the reconciler's last round with Jenkins answering (0: none since start).",
    [{ value: ok ? seconds(ok) : 0 }],
  );
  return out.text();
}
