import type { PeriodCounts } from "@/lib/dashboard/periods";
import { resultsHref } from "@/lib/dashboard/present";
import { RUN_STATUS_DISPLAY, type RunStatus } from "@/lib/runs/status";
import styles from "./dashboard.module.css";

// Finished runs first, then the open ones; labels and colours are every page's (lib/runs/status.ts).
const TILE_ORDER: RunStatus[] = ["passed", "failed", "could-not-verify", "aborted", "failed-to-start", "running", "queued"];
const TILES = TILE_ORDER.map((status) => {
  const { label, tone } = RUN_STATUS_DISPLAY[status];
  return { status, label: label.charAt(0).toLowerCase() + label.slice(1), tone };
});

function Tile({ href, n, label, context, tone }: { href: string; n: number; label: string; context: string; tone: string }) {
  return (
    <li>
      <a href={href} className={`${styles.tile} ${styles[tone]} ${n === 0 ? styles.zero : ""}`}>
        <span className={styles.figure}>{n}</span> {label}
        <span className="visually-hidden"> {context}</span>
      </a>
    </li>
  );
}

/** Runs by verdict in the last 24 hours, 7 and 30 days; each figure opens them on Results. Verdicts no run had are left out. */
export function VerdictTiles({ periods, now, timeZone }: { periods: PeriodCounts[]; now: Date; timeZone: string }) {
  return (
    <section aria-labelledby="verdicts-heading">
      <h2 id="verdicts-heading">Runs by verdict</h2>
      <div className={styles.periods}>
        {periods.map((p) => {
          const window = { since: p.since, now };
          const context = `in the ${p.label.toLowerCase()}`;
          return (
            <section key={p.key} className="panel" aria-labelledby={`period-${p.key}`} data-period={p.key}>
              <h3 id={`period-${p.key}`}>{p.label}</h3>
              <ul className={styles.tiles}>
                <Tile
                  href={resultsHref(window, timeZone)}
                  n={p.total}
                  label={p.total === 1 ? "run" : "runs"}
                  context={context}
                  tone="total"
                />
                {TILES.filter((t) => p.byStatus[t.status] > 0).map((t) => (
                  <Tile
                    key={t.status}
                    href={resultsHref(window, timeZone, t.status)}
                    n={p.byStatus[t.status]}
                    label={t.label}
                    context={context}
                    tone={t.tone}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      <p className="muted">Each figure opens those runs on the Results page, which lists whole days ({timeZone}).</p>
    </section>
  );
}
