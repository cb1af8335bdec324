import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { db } from "@/lib/db/client";
import { formValuesOf, SCHEDULE_PARAMETERS } from "@/lib/pipeline/parameters";
import { SCHEDULE_ID_PATTERN } from "@/lib/schedules/schema";
import { scheduleDetail } from "@/lib/schedules/view";
import { scheduleFormData } from "../../form-data";
import { ScheduleForm } from "../../schedule-form";

export const metadata: Metadata = { title: "Modify schedule" };
export const dynamic = "force-dynamic";

export default async function EditSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!SCHEDULE_ID_PATTERN.test(id)) notFound();
  const [s, { choices, problem }] = await Promise.all([scheduleDetail(db, id), scheduleFormData()]);
  if (!s) notFound();
  const p = s.parameters;
  const initial: Record<string, string> = {
    ...(p ? formValuesOf(SCHEDULE_PARAMETERS, p) : {}),
    name: s.name,
    frequency: s.when.frequency,
    weekday: s.when.frequency === "weekly" ? String(s.when.weekday) : "",
    dayOfMonth: s.when.frequency === "monthly" ? String(s.when.dayOfMonth) : "",
    time: s.when.time,
    timeZone: s.when.timeZone,
    notify: s.notifyEmails ? "on" : "",
    notifyEmail: s.notifyEmails,
    shrinkThresholdPct: String(s.shrinkThresholdPct),
    shrinkOnDrop: s.shrinkFailsRun ? "fail" : "warn",
  };
  return (
    <>
      <p>
        <Link href={`/schedules/${s.id}`}>← {s.name}</Link>
      </p>
      <h1>Modify {s.name}</h1>
      {problem && (
        <div className="notice error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <div className="panel">
        <ScheduleForm choices={choices} initial={initial} scheduleId={s.id} blockedReason={problem ? "Jenkins is not available." : null} />
      </div>
    </>
  );
}
