import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { NewSchedulePanel } from "./schedules/new-schedule-panel";
import { SchedulesTable } from "./schedules/schedules-table";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requireUser();
  return (
    <>
      <h1>Welcome, {user.name}</h1>
      <div className="panel">
        <p>Restore Drill proves that your backups can be restored: it fetches a backup, decrypts it, restores it into a throwaway database, reads every row, and tells you at once when that fails.</p>
        <div className="actions">
          <Link className="button" href="/runs/new">
            Run a restore
          </Link>
          <Link href="/schedules">Schedules</Link>
          <Link href="/results">Results</Link>
        </div>
      </div>
      {/* The two schedule blocks of the home page wireframe; the dashboard will be built around them. */}
      <SchedulesTable />
      <NewSchedulePanel />
    </>
  );
}
