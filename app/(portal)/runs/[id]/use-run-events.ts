"use client";

import { useEffect, useRef, useState } from "react";
import { advanceRun } from "@/lib/runs/run-machine";
import type { RunView } from "@/lib/runs/view";
import { appendToTail, emptyLogTail, type LogTail } from "./log-tail";

/** Lines of console kept in the page; older ones are only in the raw download. */
export const CONSOLE_LINES = 2000;
/** How often received console text is rendered: chunks in between are merged into one render. */
const RENDER_EVERY_MS = 100;

export type Connection = "connecting" | "live" | "reconnecting" | "ended";

interface LogEventData {
  offset: number;
  next: number;
  text: string;
}

/**
 * Follows a run over its server-sent events. The console is requested from the last offset
 * received — on the first connection 0, after a drop the offset reached — so nothing already
 * received is downloaded again. The browser's own EventSource retry would reuse the first
 * URL (offset 0), so reconnection is done here, with a backoff.
 */
export function useRunEvents(initial: RunView): { run: RunView; log: LogTail; connection: Connection } {
  const [run, setRun] = useState(initial);
  const [log, setLog] = useState<LogTail>(emptyLogTail);
  const [connection, setConnection] = useState<Connection>("connecting");
  const offset = useRef(0);
  const tail = useRef<LogTail>(emptyLogTail);

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let renderTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let finished = false;

    const render = () => {
      renderTimer = undefined;
      setLog(tail.current);
    };
    const open = () => {
      const es = new EventSource(`/api/runs/${encodeURIComponent(initial.id)}/events?logOffset=${offset.current}`);
      source = es;
      es.onopen = () => {
        failures = 0;
        setConnection("live");
      };
      // Through the state machine: an older or replayed snapshot never moves the page back.
      es.addEventListener("run", (event) =>
        setRun((prev) => advanceRun(prev, JSON.parse((event as MessageEvent<string>).data) as RunView)),
      );
      es.addEventListener("log", (event) => {
        const chunk = JSON.parse((event as MessageEvent<string>).data) as LogEventData;
        if (chunk.next <= offset.current) return; // already have it
        offset.current = chunk.next;
        tail.current = appendToTail(tail.current, chunk.text, CONSOLE_LINES);
        renderTimer ??= setTimeout(render, RENDER_EVERY_MS);
      });
      es.addEventListener("end", () => {
        finished = true;
        es.close();
        if (renderTimer) clearTimeout(renderTimer);
        render();
        setConnection("ended");
      });
      es.onerror = () => {
        es.close();
        if (finished) return;
        setConnection("reconnecting");
        retryTimer = setTimeout(open, Math.min(10_000, 500 * 2 ** failures++));
      };
    };
    open();
    return () => {
      finished = true;
      source?.close();
      clearTimeout(retryTimer);
      clearTimeout(renderTimer);
    };
  }, [initial.id]);

  return { run, log, connection };
}
