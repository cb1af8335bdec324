import type { Metadata } from "next";
import { cookies } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { storedCredentialChoices } from "@/lib/dashboard/credential-choices";
import { loadDashboard } from "@/lib/dashboard/load";
import { TIME_ZONE_COOKIE, zoneFromCookie } from "@/lib/dashboard/present";
import { db } from "@/lib/db/client";
import { DashboardForms } from "./_dashboard/dashboard-forms";
import styles from "./_dashboard/dashboard.module.css";
import { RecentAlarms, RecentFailures } from "./_dashboard/recent-lists";
import { FailingSchedules, MissedSchedules, UncoveredSchedules } from "./_dashboard/schedule-lists";
import { TimeZoneSync } from "./_dashboard/time-zone-sync";
import { VerdictTiles } from "./_dashboard/verdict-tiles";
import { SchedulesTable } from "./schedules/schedules-table";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

/** Rows of "Scheduled Restores" on the home page; /schedules lists them all. */
const SCHEDULE_ROWS = 20;

// Everything here is read from the database (lib/dashboard): the home page asks Jenkins nothing.
export default async function HomePage() {
  const [user, jar] = await Promise.all([requireUser(), cookies()]);
  const timeZone = zoneFromCookie(jar.get(TIME_ZONE_COOKIE)?.value);
  const [dashboard, choices] = await Promise.all([loadDashboard(db), storedCredentialChoices(db)]);
  return (
    <>
      <h1>Dashboard</h1>
      <p className="muted">
        Welcome, {user.name}. Restore Drill proves that your backups can be restored: it fetches a backup, decrypts it, restores it into a
        throwaway database and reads every row. Times are shown in {timeZone}.
      </p>
      <TimeZoneSync current={timeZone} />
      <VerdictTiles periods={dashboard.periods} now={dashboard.now} timeZone={timeZone} />
      <div className={styles.attention}>
        <FailingSchedules failing={dashboard.failing} timeZone={timeZone} />
        <MissedSchedules missed={dashboard.missed} timeZone={timeZone} />
        <UncoveredSchedules dashboard={dashboard} timeZone={timeZone} />
        <RecentFailures failures={dashboard.recentFailures} timeZone={timeZone} />
        <RecentAlarms alarms={dashboard.recentAlarms} timeZone={timeZone} />
      </div>
      <DashboardForms choices={choices} />
      <SchedulesTable limit={SCHEDULE_ROWS} />
    </>
  );
}
