"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import { idleState, type ActionState } from "@/lib/actions/state";
import { FormStatus } from "./form-status";
import { SubmitButton } from "./submit-button";

/**
 * A click's token: 32 hex digits from getRandomValues (crypto.randomUUID exists only in secure contexts,
 * and the portal may be served over plain HTTP inside a company network).
 */
function newClickToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

interface RunNowFormProps {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  scheduleId: string;
  label: string;
}

/**
 * "Run now" with a token per deliberate click (issue 19): the token is made when a click is submitted and kept
 * until its answer arrives, so a double submit or a resubmit of the same click carries the same token and the
 * server starts ONE build; the next click after the answer gets a new token and starts another. The answer
 * shows "Started run #N" linking to the run (or why nothing started).
 */
export function RunNowForm({ action, scheduleId, label }: RunNowFormProps) {
  const pendingToken = useRef<string | null>(null);
  const [state, dispatch] = useActionState(async (prev: ActionState, form: FormData) => {
    const next = await action(prev, form);
    if (pendingToken.current === form.get("clickToken")) pendingToken.current = null;
    return next;
  }, idleState);
  const submit = (form: FormData) => {
    pendingToken.current ??= newClickToken();
    form.set("clickToken", pendingToken.current);
    dispatch(form);
  };
  const runHref = state.status === "ok" ? state.result?.runHref : undefined;
  return (
    <form action={submit} aria-label={label} className="stack">
      <input type="hidden" name="scheduleId" value={scheduleId} />
      <div className="actions">
        <SubmitButton pendingText="Starting…">Run now</SubmitButton>
      </div>
      {runHref ? (
        <p className="notice ok" role="status">
          <Link href={runHref}>{state.message}</Link>
        </p>
      ) : (
        <FormStatus state={state} />
      )}
    </form>
  );
}
