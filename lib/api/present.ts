import type { KeyRow } from "@/lib/credentials/list";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import type { ResultRow } from "@/lib/results/query";
import { getRunView, type RunView } from "@/lib/runs/view";
import { scheduleDetail, type ScheduleDetail } from "@/lib/schedules/view";
import type { Statistics } from "@/lib/stats/query";

// The domain's views as the API shows them: JSON with ISO dates, numbers for BigInts, and the
// portal URL of each run. Nothing here decides anything; it only reshapes.

const iso = (d: Date | null) => d?.toISOString() ?? null;
const num = (n: bigint | number | null) => (n === null ? null : Number(n));

export function runSummary(r: ResultRow, origin: string) {
  return {
    id: r.id,
    url: `${origin}/runs/${r.id}`,
    status: r.status,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.durationMs,
    dbType: r.dbType,
    backupHost: r.backupHost,
    backupPath: r.backupPath,
    schedule: r.scheduleId ? { id: r.scheduleId, name: r.schedule?.name ?? "" } : null,
    startedByEmail: r.startedByEmail,
    failedStage: r.failedStage,
    reasonCode: r.reasonCode,
    reason: r.reason,
    totalRows: num(r.totalRows),
    backupBytes: num(r.backupBytes),
  };
}

export const runDetail = (view: RunView, origin: string) => ({
  ...view,
  url: `${origin}/runs/${view.id}`,
  alarm: view.alarm as Record<string, unknown> | null,
});

export async function runOr404(db: Db, id: string, origin: string) {
  const view = await getRunView(db, id);
  if (!view) throw new DomainError("No such run.", { code: "not-found" });
  return runDetail(view, origin);
}

export function scheduleOut(d: ScheduleDetail) {
  return {
    id: d.id,
    name: d.name,
    jobName: d.jobName,
    enabled: d.enabled,
    when: d.when,
    whenText: d.whenText,
    timerSpec: d.timerSpec,
    nextRuns: d.nextRuns,
    parameters: d.parameters,
    notifyEmails: d.notifyEmails,
    shrinkThresholdPct: d.shrinkThresholdPct,
    shrinkFailsRun: d.shrinkFailsRun,
    ownerEmail: d.ownerEmail,
    createdAt: d.createdAt,
    updatedByEmail: d.updatedByEmail,
    missedSince: d.missedSince,
    drift: d.drift,
    recentRuns: d.history.map((h) => ({
      id: h.id,
      status: h.status,
      date: h.date,
      time: h.time,
      reason: h.reason,
      durationMs: h.durationMs,
    })),
  };
}

export async function scheduleOr404(db: Db, id: string) {
  const detail = await scheduleDetail(db, id);
  if (!detail) throw new DomainError("That schedule no longer exists.", { code: "not-found" });
  return scheduleOut(detail);
}

/** The schedule as the form would submit it: what a PATCH is merged onto. */
export function scheduleFormValues(d: ScheduleDetail): Record<string, unknown> {
  return {
    ...(d.parameters ?? {}),
    name: d.name,
    ...d.when,
    notify: d.notifyEmails !== "",
    notifyEmail: d.notifyEmails,
    shrinkThresholdPct: d.shrinkThresholdPct,
    shrinkOnDrop: d.shrinkFailsRun ? "fail" : "warn",
  };
}

export function statsOut(s: Statistics) {
  return {
    range: s.filters,
    totals: s.totals,
    schedules: s.schedules.map((row) => ({ ...row, lastRunAt: iso(row.lastRunAt) })),
  };
}

export function credentialOut(k: KeyRow) {
  return {
    id: k.id,
    kind: k.kind,
    description: k.description,
    fingerprint: k.fingerprint,
    keyType: k.keyType,
    inJenkins: k.inJenkins,
    usedBy: k.usedBy.map((u) => ({ ...u, id: u.scheduleId, name: u.scheduleName })),
  };
}
