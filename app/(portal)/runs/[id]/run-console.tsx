"use client";

import { useLayoutEffect, useRef } from "react";
import { tailText, type LogTail } from "./log-tail";
import type { Connection } from "./use-run-events";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "connection lost — reconnecting…",
  ended: "complete",
};

/** The console's tail, kept scrolled to the bottom unless the reader scrolled up. */
export function RunConsole({ runId, log, connection, ended }: { runId: string; log: LogTail; connection: Connection; ended: boolean }) {
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  const text = tailText(log);
  useLayoutEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [text]);
  const download = `/api/runs/${encodeURIComponent(runId)}/log`;
  const hidden = log.totalLines - log.lines.length;
  return (
    <section aria-label="Console">
      <div className="console-head">
        <h2>Console</h2>
        <span className="muted" data-testid="console-connection">
          {ended && connection !== "ended" ? "" : CONNECTION_TEXT[connection]}
        </span>
        <a href={download} download>
          Download the full log
        </a>
      </div>
      {hidden > 0 && (
        <p className="muted" data-testid="console-truncated">
          Showing the last {log.lines.length.toLocaleString("en")} of {log.totalLines.toLocaleString("en")} lines —{" "}
          <a href={download}>download the full log</a> for the rest.
        </p>
      )}
      <pre
        ref={box}
        className="console"
        tabIndex={0}
        aria-label="Console output"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {text || (connection === "ended" ? "(no console output)" : "Waiting for console output…")}
      </pre>
    </section>
  );
}
