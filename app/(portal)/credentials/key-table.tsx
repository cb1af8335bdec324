"use client";

import { useActionState, useRef } from "react";
import { FormStatus } from "@/components/form-status";
import { idleState, type ActionState } from "@/lib/actions/state";
import { deleteKey } from "@/lib/actions/credentials";
import type { KeyView } from "./key-view";

type Dispatch = (form: FormData) => void;

/** The key list; one delete action for all rows, so its outcome stays on show after the row is gone. */
export function KeyTable({ keys, jenkinsAvailable }: { keys: KeyView[]; jenkinsAvailable: boolean }) {
  const [state, dispatch] = useActionState<ActionState, FormData>(deleteKey, idleState);
  return (
    <>
      <FormStatus state={state} />
      {keys.length === 0 ? (
        <p className="panel empty">
          {jenkinsAvailable ? "No SSH or GPG keys yet. Add one below." : "The portal's database knows of no keys."}
        </p>
      ) : (
        <table aria-label="Keys">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Kind</th>
              <th scope="col">Description</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Key type</th>
              <th scope="col">Details</th>
              <th scope="col">Added</th>
              <th scope="col">Used by</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.id}>
                <td>
                  <code>{key.id}</code>
                  {key.inJenkins === false && (
                    <>
                      {" "}
                      <span className="badge failure">missing in Jenkins</span>
                    </>
                  )}
                </td>
                <td>{key.kind === "ssh" ? "SSH" : "GPG"}</td>
                <td>{key.description}</td>
                <td>{key.fingerprint ? <code>{key.fingerprint}</code> : <span className="muted">unknown</span>}</td>
                <td>{key.keyType ?? <span className="muted">unknown</span>}</td>
                <td>
                  {key.detail.map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </td>
                <td>{key.added ?? <span className="muted">added in Jenkins</span>}</td>
                <td>
                  {key.usedBy.length ? (
                    key.usedBy.map((u) => <div key={u.scheduleId}>{u.scheduleName}</div>)
                  ) : (
                    <span className="muted">no schedule</span>
                  )}
                </td>
                <td>
                  <DeleteKey keyView={key} dispatch={dispatch} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * A delete button that asks first. A key used by schedules lists them, and the
 * box confirming that they will be flagged as broken must be ticked (the server
 * checks again, against the schedules it finds then).
 */
function DeleteKey({ keyView, dispatch }: { keyView: KeyView; dispatch: Dispatch }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const questionId = `delete-${keyView.id}-question`;
  const inUse = keyView.usedBy.length > 0;
  const what = `${keyView.kind === "ssh" ? "SSH" : "GPG"} key '${keyView.id}'`;
  return (
    <>
      <button type="button" className="danger" ref={opener} onClick={() => dialog.current?.showModal()} aria-label={`Delete ${keyView.id}`}>
        Delete…
      </button>
      <dialog ref={dialog} aria-labelledby={questionId} onClose={() => opener.current?.focus()}>
        <form action={dispatch} onSubmit={() => dialog.current?.close()} className="stack">
          <input type="hidden" name="id" value={keyView.id} />
          <input type="hidden" name="confirmedScheduleIds" value={keyView.usedBy.map((u) => u.scheduleId).join(",")} />
          <p id={questionId}>
            Delete the {what} from Jenkins? Restores that use it will fail
            {keyView.inJenkins === false ? " (Jenkins no longer holds it; this removes the portal's record)" : ""}.
          </p>
          {inUse && (
            <>
              <p className="notice error">
                {keyView.usedBy.length === 1 ? "This schedule uses it" : `These ${keyView.usedBy.length} schedules use it`} and will be
                flagged as broken until edited:
              </p>
              <ul aria-label={`Schedules using ${keyView.id}`}>
                {keyView.usedBy.map((u) => (
                  <li key={u.scheduleId}>{u.scheduleName}</li>
                ))}
              </ul>
              <label>
                <input type="checkbox" name="confirmInUse" value="yes" required /> Delete it anyway and flag{" "}
                {keyView.usedBy.length === 1 ? "this schedule" : `these ${keyView.usedBy.length} schedules`} as broken
              </label>
            </>
          )}
          <div className="actions">
            <button type="submit" className="danger">
              Delete key
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
