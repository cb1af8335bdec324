import type { Dashboard } from "@/lib/dashboard/load";
import styles from "./health-strip.module.css";

interface Signal {
  anchor: string;
  count: number;
  label: string;
}

/**
 * The schedules' health in one line: failing, missed, stale (backups not verified in time) and shrinking.
 * Only what needs attention is named, each linking to its detail list below; all clear is one short sentence,
 * never a row of zeros.
 */
export function HealthStrip({ dashboard }: { dashboard: Dashboard }) {
  const signals: Signal[] = [
    { anchor: "failing-heading", count: dashboard.failing.count, label: "failing" },
    { anchor: "missed-heading", count: dashboard.missed.count, label: "missed a run" },
    { anchor: "coverage-heading", count: dashboard.uncovered.count, label: "stale (not verified in time)" },
    { anchor: "backup-problems-heading", count: dashboard.backupProblems.length, label: "stale or missing backups" },
    { anchor: "shrink-alarms-heading", count: dashboard.recentAlarms.length, label: "shrinking" },
    { anchor: "recent-failures-heading", count: dashboard.recentFailures.length, label: "recent failures" },
  ].filter((s) => s.count > 0);
  return (
    <section aria-labelledby="health-heading" className={styles.strip} data-health={signals.length ? "attention" : "clear"}>
      <h2 id="health-heading" className={styles.heading}>
        Health
      </h2>
      {signals.length === 0 ? (
        <p className={styles.clear}>All clear: no schedule is failing, missed, stale or shrinking.</p>
      ) : (
        <ul className={styles.signals}>
          {signals.map((s) => (
            <li key={s.anchor}>
              <a href={`#${s.anchor}`} className={styles.signal}>
                <span className={styles.count}>{s.count}</span> {s.label}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whether a detail list has anything to show: empty ones stay off the home page. */
export const hasDetail = (dashboard: Dashboard) => ({
  failing: dashboard.failing.count > 0,
  missed: dashboard.missed.count > 0,
  uncovered: dashboard.uncovered.count > 0,
  failures: dashboard.recentFailures.length > 0,
  alarms: dashboard.recentAlarms.length > 0,
  backups: dashboard.backupProblems.length > 0,
});
