import type { Metadata } from "next";
import { cookies } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { storedCredentialChoices } from "@/lib/dashboard/credential-choices";
import { loadDashboard } from "@/lib/dashboard/load";
import { TIME_ZONE_COOKIE, zoneFromCookie } from "@/lib/dashboard/present";
import { db } from "@/lib/db/client";
import { sharedRead } from "@/lib/db/shared-read";
import { BackupProblems } from "./_dashboard/backup-problems";
import { DashboardForms } from "./_dashboard/dashboard-forms";
import { HealthStrip, hasDetail } from "./_dashboard/health-strip";
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
  // The same for every user: shared while the database is unchanged (lib/db/shared-read.ts).
  const [dashboard, choices] = await sharedRead(db, "dashboard", () => Promise.all([loadDashboard(db), storedCredentialChoices(db)]));
  const show = hasDetail(dashboard);
  return (
    <>
      <h1>Dashboard</h1>
      <p className="muted">
        Welcome, {user.name}. Run a restore, schedule one, or run a scheduled one now. Times are shown in {timeZone}.
      </p>
      <TimeZoneSync current={timeZone} />
      <HealthStrip dashboard={dashboard} />
      <DashboardForms choices={choices} />
      <SchedulesTable limit={SCHEDULE_ROWS} />
      <div className={styles.attention}>
        {show.failing && <FailingSchedules failing={dashboard.failing} timeZone={timeZone} />}
        {show.missed && <MissedSchedules missed={dashboard.missed} timeZone={timeZone} />}
        {show.uncovered && <UncoveredSchedules dashboard={dashboard} timeZone={timeZone} />}
        {show.backups && <BackupProblems problems={dashboard.backupProblems} timeZone={timeZone} />}
        {show.failures && <RecentFailures failures={dashboard.recentFailures} timeZone={timeZone} />}
        {show.alarms && <RecentAlarms alarms={dashboard.recentAlarms} timeZone={timeZone} />}
      </div>
      <VerdictTiles periods={dashboard.periods} now={dashboard.now} timeZone={timeZone} />
    </>
  );
}
