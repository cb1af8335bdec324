"use client";

import { useRef } from "react";

/**
 * A destructive submit button that asks first: it opens a dialog, and only "Yes" submits
 * the surrounding form. Escape or "Cancel" closes it; focus returns to the button.
 */
export function ConfirmSubmit({ label, question, confirmLabel }: { label: string; question: string; confirmLabel: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby="confirm-question" onClose={() => opener.current?.focus()}>
        <p id="confirm-question">{question}</p>
        <div className="actions">
          <button type="submit" className="danger" onClick={() => dialog.current?.close()}>
            {confirmLabel}
          </button>
          <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
