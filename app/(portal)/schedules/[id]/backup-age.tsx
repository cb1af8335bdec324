import Link from "next/link";
import { ageAgainstLimit, formatAge } from "@/lib/runs/selection";
import type { ScheduleDetail } from "@/lib/schedules/view";

// The schedule's backups (issue 14): the last file tested, and the tested file's age run by run
// against the limit, oldest run left — a backup job that stopped shows as a line climbing over it.

const WIDTH = 600;
const HEIGHT = 120;

export function BackupAge({ schedule: s }: { schedule: ScheduleDetail }) {
  const tested = s.history.filter((h) => h.backup !== null);
  if (tested.length === 0) return null;
  const last = tested[0]!;
  const points = [...tested].reverse();
  const limit = last.backup!.maxAgeHours;
  const top = Math.max(1, ...points.map((p) => p.backup!.ageSeconds / 3600), limit ?? 0) * 1.1;
  const x = (i: number) => (points.length === 1 ? WIDTH / 2 : 8 + (i * (WIDTH - 16)) / (points.length - 1));
  const y = (hours: number) => HEIGHT - 4 - (Math.max(0, hours) / top) * (HEIGHT - 8);
  const stale = points.filter((p) => p.backup!.stale).length;
  return (
    <section aria-labelledby="backup-age-heading">
      <h2 id="backup-age-heading">Backup age</h2>
      <dl className="facts">
        <dt>Last file tested</dt>
        <dd>
          <code>{last.backup!.file}</code> —{" "}
          <Link href={`/runs/${last.id}`}>
            {last.date} {last.time}
          </Link>
          , {ageAgainstLimit(last.backup!)}
          {last.backup!.pattern && <span className="muted"> ({last.backup!.matches} matching)</span>}
        </dd>
      </dl>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxWidth: WIDTH }}
        role="img"
        aria-label={`Age of the tested file over the last ${points.length} runs: from ${formatAge(points[0]!.backup!.ageSeconds)} to ${formatAge(
          last.backup!.ageSeconds,
        )}${limit !== null ? `, limit ${formatAge(limit * 3600)}; ${stale} stale` : ""}`}
      >
        {limit !== null && <line x1={0} x2={WIDTH} y1={y(limit)} y2={y(limit)} stroke="currentColor" strokeDasharray="4 4" opacity={0.5} />}
        <polyline
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          points={points.map((p, i) => `${x(i)},${y(p.backup!.ageSeconds / 3600)}`).join(" ")}
        />
        {points.map((p, i) => (
          <circle key={p.id} cx={x(i)} cy={y(p.backup!.ageSeconds / 3600)} r={4} fill={p.backup!.stale ? "#b3261e" : "#1e7b34"}>
            <title>{`${p.date} ${p.time}: ${ageAgainstLimit(p.backup!)}`}</title>
          </circle>
        ))}
      </svg>
    </section>
  );
}
