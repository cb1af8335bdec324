"use client";

import { useEffect, useState } from "react";
import type { LogStage, StageLogBody } from "@/lib/runs/stage-logs";
import { appendToTail, emptyLogTail, tailText, type LogTail } from "./log-tail";

// Each stage build's own console (the ssh, gpg and import output), read through the portal
// (/api/runs/[id]/stages/[stage]/log) and polled while the build writes, so no Jenkins account
// is needed. Only an opened stage is fetched.

const STAGES: { stage: LogStage; label: string }[] = [
  { stage: "decrypt", label: "Decrypt" },
  { stage: "deploy", label: "Deploy" },
  { stage: "restore", label: "Restore and verify" },
  { stage: "destroy", label: "Destroy" },
];
const POLL_MS = 1500;
const MAX_LINES = 2000;

export function StageLogs({ runId }: { runId: string }) {
  return (
    <section aria-labelledby="stage-logs-title">
      <h2 id="stage-logs-title">Stage logs</h2>
      {STAGES.map(({ stage, label }) => (
        <StageLog key={stage} runId={runId} stage={stage} label={label} />
      ))}
    </section>
  );
}

interface State {
  tail: LogTail;
  build: number | null;
  done: boolean;
  error: string | null;
}

function StageLog({ runId, stage, label }: { runId: string; stage: LogStage; label: string }) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<State>({ tail: emptyLogTail, build: null, done: false, error: null });
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/api/runs/${encodeURIComponent(runId)}/stages/${stage}/log?start=${next}`, { cache: "no-store" });
        const body = (await response.json()) as StageLogBody & { message?: string };
        if (cancelled) return;
        if (!response.ok) {
          setState((s) => ({ ...s, error: body.message ?? `Could not read the log (${response.status}).` }));
        } else {
          if (body.build !== null) next = body.next;
          setState((s) => ({ tail: appendToTail(s.tail, body.text, MAX_LINES), build: body.build, done: !body.more, error: null }));
          if (!body.more) return;
        }
      } catch {
        if (cancelled) return;
        setState((s) => ({ ...s, error: "Connection lost — retrying…" }));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [open, runId, stage]);

  const text = tailText(state.tail);
  const empty = state.done ? (state.build === null ? "This stage did not run." : "(no console output)") : "Waiting for output…";
  return (
    <details
      className="stage-log"
      data-testid={`stage-log-${stage}`}
      onToggle={(e) => {
        const opened = e.currentTarget.open;
        // Each opening reads the log afresh from its start.
        if (opened) setState({ tail: emptyLogTail, build: null, done: false, error: null });
        setOpen(opened);
      }}
    >
      <summary>
        {label}
        {state.build !== null && <span className="muted"> — build #{state.build}</span>}
      </summary>
      {state.error && (
        <p role="status" className="muted">
          {state.error}
        </p>
      )}
      <pre className="console" tabIndex={0} aria-label={`${label} console output`}>
        {text || empty}
      </pre>
    </details>
  );
}
