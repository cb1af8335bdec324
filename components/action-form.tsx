"use client";

import { useActionState } from "react";
import { idleState, type ActionState } from "@/lib/actions/state";
import { ConfirmSubmit } from "./confirm-submit";
import { FormStatus } from "./form-status";
import { SubmitButton } from "./submit-button";

interface ActionFormProps {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  hidden: Record<string, string>;
  submitLabel: string;
  /** Ask before submitting (destructive actions). */
  confirm?: { question: string; confirmLabel: string };
  children?: React.ReactNode;
  label: string;
}

/** A small form that runs one server action and shows its outcome (and a one-time secret, once). */
export function ActionForm({ action, hidden, submitLabel, confirm, children, label }: ActionFormProps) {
  const [state, dispatch] = useActionState(action, idleState);
  return (
    <form action={dispatch} aria-label={label} className="stack">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {children}
      <div className="actions">
        {confirm ? <ConfirmSubmit label={submitLabel} {...confirm} /> : <SubmitButton>{submitLabel}</SubmitButton>}
      </div>
      <FormStatus state={state} />
      {state.result?.oneTimePassword && (
        <p className="notice ok" role="status">
          One-time password: <span className="secret-once">{state.result.oneTimePassword}</span> — shown only this once.
        </p>
      )}
    </form>
  );
}
