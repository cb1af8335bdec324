import type { Metadata } from "next";
import { NewSchedulePanel } from "./new-schedule-panel";
import { SchedulesTable } from "./schedules-table";

export const metadata: Metadata = { title: "Schedules" };
export const dynamic = "force-dynamic";

export default function SchedulesPage() {
  return (
    <>
      <h1>Schedules</h1>
      <p className="muted">
        Each schedule is a Jenkins job whose timer starts the restore pipeline.{" "}
        <a href="/api/schedules/export">Export all as Jenkins Job Builder YAML</a> (for <code>jenkins-jobs/schedule.yaml</code>).
      </p>
      <SchedulesTable />
      <NewSchedulePanel />
    </>
  );
}
