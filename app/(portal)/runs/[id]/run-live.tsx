"use client";

import { useEffect, useState } from "react";
import { ActionForm } from "@/components/action-form";
import { stopRun } from "@/lib/actions/runs";
import { phaseText, runPhase } from "@/lib/runs/run-machine";
import { RUN_STATUS_DISPLAY, statusDisplay } from "@/lib/runs/status";
import { startedByLabel } from "@/lib/runs/started-by-label";
import type { RunView } from "@/lib/runs/view";
import { DB_TYPE_LABELS } from "@/lib/validation/choices";
import { RunConsole } from "./run-console";
import { StageLogs } from "./stage-logs";
import { ShrinkAlarmPanel } from "./shrink-alarm";
import { useRunEvents } from "./use-run-events";
import { formatBytes } from "@/lib/format-bytes";
import { elapsed, formatClock, readRunClock, steadyClock, type ClockReading } from "@/lib/runs/run-clock";
import { BackupSelection } from "./backup-selection";
import { DataChecks } from "./data-checks";

type Stage = RunView["stages"][number];

const ACTIVE = new Set<RunView["status"]>(["queued", "running"]);

/** Stage statuses: those a run has too look the same; pending and skipped are plain. */
const stageTone = (status: string) => (status === "pending" || status === "skipped" ? "" : statusDisplay(status).tone);

/** Ticks once a second while `active`; null before mount so server and browser render alike. */
function useNow(active: boolean): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = active ? setInterval(tick, 1000) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active]);
  return now;
}

const formatTime = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") + " UTC";

/** The header's clock for this page's lifetime: never steps back (lib/runs/run-clock.ts). */
function useSteadyClock(run: RunView, now: number | null): string {
  const [shown, setShown] = useState<ClockReading | null>(null);
  const reading = steadyClock(shown, readRunClock(run, now));
  // Remembered from render to render (React's "storing information from previous renders").
  if (reading.ms !== shown?.ms || reading.waiting !== shown?.waiting) setShown(reading);
  return formatClock(reading);
}

function Verdict({ run, now }: { run: RunView; now: number | null }) {
  const clock = useSteadyClock(run, now);
  const { tone } = RUN_STATUS_DISPLAY[run.status];
  const open = phaseText(runPhase(run));
  const label = open?.label ?? RUN_STATUS_DISPLAY[run.status].label;
  let detail: string;
  if (open) detail = open.detail;
  else if (run.status === "passed")
    detail = `The backup restored: ${run.tables.length} tables, ${(run.totalRows ?? 0).toLocaleString("en")} rows read${run.integrity ? `, integrity ${run.integrity.result}` : ""}.`;
  else
    detail = [run.failedStage ? `At ${run.failedStage}` : null, run.reason ?? run.reasonCode ?? "No reason was recorded."]
      .filter(Boolean)
      .join(": ");
  return (
    <section className={`verdict ${tone}`} aria-label="Verdict" aria-live="polite">
      <div className="verdict-head">
        <strong className="verdict-word">{label}</strong>
        {run.reasonCode && !ACTIVE.has(run.status) && run.status !== "passed" && <code>{run.reasonCode}</code>}
        <span className="muted">{clock}</span>
      </div>
      <p>{detail}</p>
    </section>
  );
}

function StageProgress({ stages, now }: { stages: Stage[]; now: number | null }) {
  return (
    <ol className="stages" aria-label="Stages">
      {stages.map((stage) => (
        <li
          key={stage.name}
          className={`stage ${stage.status}`}
          aria-current={stage.status === "running" ? "step" : undefined}
          data-stage={stage.name}
        >
          <span className="stage-name">{stage.name}</span>
          <span className={`badge ${stageTone(stage.status)}`}>{stage.status}</span>
          <span className="muted stage-time">{elapsed(stage.startedAt, stage.finishedAt, now)}</span>
        </li>
      ))}
    </ol>
  );
}

function Results({ run }: { run: RunView }) {
  if (!run.tables.length && !run.integrity && !run.backup && !run.assertions && !run.freshness && !run.versions && !run.selection)
    return null;
  return (
    <>
      <BackupSelection selection={run.selection} />
      <DataChecks assertions={run.assertions} freshness={run.freshness} />
      {run.tables.length > 0 && (
        <>
          <h2>Restored tables</h2>
          <table aria-label="Restored tables">
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col" className="num">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {run.tables.map((t) => (
                <tr key={`${t.schema ?? ""}.${t.name}`}>
                  <td>{t.schema ? `${t.schema}.${t.name}` : t.name}</td>
                  <td className="num">{t.rows.toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td className="num">{(run.totalRows ?? run.tables.reduce((n, t) => n + t.rows, 0)).toLocaleString("en")}</td>
              </tr>
            </tfoot>
          </table>
        </>
      )}
      <dl className="facts">
        {run.integrity && (
          <>
            <dt>Integrity</dt>
            <dd>
              <span className={`badge ${run.integrity.result === "ok" ? "success" : run.integrity.result === "failed" ? "failure" : ""}`}>
                {run.integrity.result}
              </span>{" "}
              {run.integrity.method} {run.integrity.detail && <span className="muted">— {run.integrity.detail}</span>}
            </dd>
          </>
        )}
        {run.versions?.dump?.tool && (
          <>
            <dt>Dump made by</dt>
            <dd>
              {run.versions.dump.tool} {run.versions.dump.toolVersion ?? "(version not recorded)"}
              {run.versions.dump.archiveVersion && <span className="muted"> — archive format {run.versions.dump.archiveVersion}</span>}
            </dd>
          </>
        )}
        {run.versions?.sandboxVersion && (
          <>
            <dt>Sandbox engine</dt>
            <dd>
              {run.versions.sandboxEngine} {run.versions.sandboxVersion}
            </dd>
          </>
        )}
        {run.backup && (
          <>
            {run.backup.bytes !== null && (
              <>
                <dt>Backup size</dt>
                <dd>{formatBytes(run.backup.bytes, { exact: true })}</dd>
              </>
            )}
            {run.backup.sha256 && (
              <>
                <dt>Backup SHA-256</dt>
                <dd>
                  <code className="hash">{run.backup.sha256}</code>
                </dd>
              </>
            )}
          </>
        )}
      </dl>
    </>
  );
}

function Parameters({ run }: { run: RunView }) {
  const p = run.parameters;
  return (
    <dl className="facts">
      <dt>Backup</dt>
      <dd>
        <code>
          {p.backupHost}:{p.backupPort}
          {p.backupPath}
        </code>
      </dd>
      <dt>Database</dt>
      <dd>{DB_TYPE_LABELS[p.dbType]}</dd>
      <dt>Keys</dt>
      <dd>
        SSH <code>{p.sshCredentialId}</code>, GPG {p.gpgCredentialId ? <code>{p.gpgCredentialId}</code> : "none (not encrypted)"}
      </dd>
      <dt>Started</dt>
      <dd>
        {formatTime(run.createdAt)} by {startedByLabel(run)}
      </dd>
      <dt>Jenkins</dt>
      <dd>
        {run.buildUrl ? (
          <a href={run.buildUrl} target="_blank" rel="noreferrer">
            {run.jobName} #{run.buildNumber}
          </a>
        ) : (
          <span className="muted">{run.jobName} (no build yet)</span>
        )}
        {run.agent && <> on agent {run.agent}</>}
      </dd>
    </dl>
  );
}

export function RunLive({ initial }: { initial: RunView }) {
  const { run, log, connection } = useRunEvents(initial);
  const active = ACTIVE.has(run.status);
  const now = useNow(active);
  return (
    <>
      <h1>
        Restore of <code>{run.parameters.backupPath}</code>
      </h1>
      <Verdict run={run} now={now} />
      {run.alarm && <ShrinkAlarmPanel alarm={run.alarm} />}
      <div className="panel">
        <StageProgress stages={run.stages} now={now} />
        {runPhase(run).canStop && (
          <div className="actions stop">
            <ActionForm
              label="Stop this restore"
              action={stopRun}
              hidden={{ runId: run.id }}
              submitLabel="Stop restore"
              confirm={{ question: "Stop this restore? Jenkins aborts the build; the sandbox is still destroyed.", confirmLabel: "Stop" }}
            />
          </div>
        )}
      </div>
      <Results run={run} />
      <h2>Run</h2>
      <div className="panel">
        <Parameters run={run} />
      </div>
      <RunConsole runId={run.id} log={log} connection={connection} ended={!active} />
      <StageLogs runId={run.id} />
    </>
  );
}
