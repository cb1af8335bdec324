"use client";

import { startTransition, useActionState, useId, useRef } from "react";
import { testConnection } from "@/lib/actions/runs";
import { idleState } from "@/lib/actions/state";

// "Test connection" (issue 19 item 5), on both forms beside the backup fields: Jenkins (which
// holds the SSH key) checks that the host answers, the key is accepted and the file — or a match
// for the pattern — exists, and the answer is shown here. It reads the form's current values and
// submits only those; the form itself is not submitted.

const FIELDS = ["backupHost", "backupPort", "backupPath", "backupPattern", "backupTimeZone", "backupHostKey", "sshCredentialId"];

export function TestConnection() {
  const [state, action, pending] = useActionState(testConnection, idleState);
  const button = useRef<HTMLButtonElement>(null);
  // Both forms share the home page: each button's result has its own id.
  const resultId = `${useId()}-test-connection-result`;
  const run = () => {
    const form = button.current?.form;
    if (!form) return;
    const all = new FormData(form);
    const data = new FormData();
    for (const name of FIELDS) {
      const value = all.get(name);
      if (typeof value === "string") data.set(name, value);
    }
    startTransition(() => action(data));
  };
  const problems = state.fieldErrors ? Object.values(state.fieldErrors).flat() : [];
  return (
    <div className="test-connection">
      <button type="button" ref={button} className="secondary" onClick={run} disabled={pending} aria-describedby={resultId}>
        {pending ? "Testing the connection…" : "Test connection"}
      </button>
      <p id={resultId} role="status" aria-live="polite" className={state.status === "error" ? "error" : "muted"}>
        {pending
          ? "Jenkins is connecting to the backup host…"
          : state.status === "ok"
            ? state.message
            : state.status === "error"
              ? problems.length > 0
                ? problems.join(" ")
                : state.message
              : ""}
      </p>
    </div>
  );
}
