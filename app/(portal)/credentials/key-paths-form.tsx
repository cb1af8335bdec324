"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { idleState, type ActionState } from "@/lib/actions/state";
import { setKeyPaths } from "@/lib/actions/credentials";

export interface KeyPathsView {
  id: string;
  description: string;
  prefixes: string[];
}

/** One form per SSH key: the directories it may read on backup servers, one per line. */
export function KeyPathsForms({ keys }: { keys: KeyPathsView[] }) {
  if (keys.length === 0) return <p className="panel empty">No SSH keys yet.</p>;
  return (
    <div className="stack">
      {keys.map((key) => (
        <KeyPathsForm key={key.id} keyView={key} />
      ))}
    </div>
  );
}

function KeyPathsForm({ keyView }: { keyView: KeyPathsView }) {
  const [state, action] = useActionState<ActionState, FormData>(setKeyPaths, idleState);
  const errors = state.fieldErrors ?? {};
  const hintId = `paths-hint-${keyView.id}`;
  const errorId = `paths-error-${keyView.id}`;
  const shown =
    state.status === "error" && typeof state.values?.prefixes === "string" ? state.values.prefixes : keyView.prefixes.join("\n");
  return (
    <form className="panel stack" action={action} noValidate aria-label={`Directories for ${keyView.id}`}>
      <FormStatus state={state} />
      <input type="hidden" name="credentialId" value={keyView.id} />
      <label htmlFor={`paths-${keyView.id}`}>
        <code>{keyView.id}</code> {keyView.description && <span className="muted">— {keyView.description}</span>}
      </label>
      <textarea
        id={`paths-${keyView.id}`}
        name="prefixes"
        rows={Math.max(2, keyView.prefixes.length + 1)}
        spellCheck={false}
        defaultValue={shown}
        aria-describedby={errors.prefixes ? `${hintId} ${errorId}` : hintId}
        aria-invalid={errors.prefixes ? true : undefined}
      />
      <p id={hintId} className="muted">
        {keyView.prefixes.length === 0 ? "None yet: runs and schedules with this key are refused. " : ""}One absolute directory per line,
        e.g. /var/backups/.
      </p>
      {errors.prefixes && (
        <p id={errorId} className="error" role="alert">
          {errors.prefixes[0]}
        </p>
      )}
      <SubmitButton pendingText="Saving…">Save directories</SubmitButton>
    </form>
  );
}
