import type { Metadata } from "next";
import { db } from "@/lib/db/client";
import { SCHEDULE_PARAMETERS } from "@/lib/pipeline/parameters";
import { prefillFromRun } from "@/lib/runs/prefill";
import { RefreshOnFocus } from "@/components/refresh-on-focus";
import { NewSchedulePanel } from "./new-schedule-panel";
import { SchedulesTable } from "./schedules-table";

export const metadata: Metadata = { title: "Schedules" };
export const dynamic = "force-dynamic";

export default async function SchedulesPage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  // "Make a schedule from this run" (run page): the form starts from that run's parameters.
  const initial = await prefillFromRun(db, (await searchParams).from, SCHEDULE_PARAMETERS);
  return (
    <>
      <h1>Schedules</h1>
      <p className="muted">
        Each schedule is a Jenkins job whose timer starts the restore pipeline.{" "}
        <a href="/api/schedules/export">Export all as Jenkins Job Builder YAML</a> (for <code>jenkins-jobs/schedule.yaml</code>).
      </p>
      <RefreshOnFocus />
      <SchedulesTable />
      <NewSchedulePanel initial={initial} />
    </>
  );
}
