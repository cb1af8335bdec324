import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Schedules" };

export default function SchedulesPage() {
  return (
    <>
      <h1>Schedules</h1>
      <NotBuilt what="Scheduling restore tests" issue="the schedules issue" />
    </>
  );
}
