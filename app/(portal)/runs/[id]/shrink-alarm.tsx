import Link from "next/link";
import { describeDrop, formatPct, type ShrinkAlarm } from "@/lib/runs/alarm";

const WARN_STYLE = { borderColor: "var(--warn)", background: "#fff4e0" };

/** The shrinking-backup alarm, shown above everything else on the run page. */
export function ShrinkAlarmPanel({ alarm }: { alarm: ShrinkAlarm }) {
  const failed = alarm.mode === "fail";
  const when = alarm.comparedWithAt ? ` (finished ${alarm.comparedWithAt.replace("T", " ").replace(/\.\d+Z$|Z$/, "")} UTC)` : "";
  return (
    <section
      className={`notice${failed ? " error" : ""}`}
      style={failed ? undefined : WARN_STYLE}
      role="alert"
      aria-label="Backup shrank"
      data-alarm-mode={alarm.mode}
    >
      <p>
        <strong>Backup shrank.</strong>{" "}
        {failed
          ? "The schedule fails a run on a drop, so this run is failed."
          : alarm.comparedBy === "source"
            ? "A one-off run only warns on a drop: the run passed."
            : "The schedule only warns on a drop: the run passed."}
      </p>
      <ul>
        {alarm.drops.map((drop, i) => (
          <li key={i}>{describeDrop(drop)}</li>
        ))}
      </ul>
      <p className="muted">
        Against the last passed run{alarm.comparedBy === "source" ? " of the same backup (host, path and type)" : ""}{" "}
        <Link href={`/runs/${alarm.comparedWithRunId}`}>{alarm.comparedWithRunId}</Link>
        {when}; the alarm is raised by a drop of more than {formatPct(alarm.thresholdPct)} % a table that is gone or one left empty.
      </p>
    </section>
  );
}
