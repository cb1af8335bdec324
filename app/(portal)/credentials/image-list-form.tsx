"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { setImageList } from "@/lib/actions/credentials";
import { idleState, type ActionState } from "@/lib/actions/state";

export interface ImageListView {
  dbType: string;
  label: string;
  images: string[];
}

/** One form per database type: the container images it may run in, one per line, the default first. */
export function ImageListForms({ lists }: { lists: ImageListView[] }) {
  return (
    <div className="stack">
      {lists.map((list) => (
        <ImageListForm key={list.dbType} list={list} />
      ))}
    </div>
  );
}

function ImageListForm({ list }: { list: ImageListView }) {
  const [state, action] = useActionState<ActionState, FormData>(setImageList, idleState);
  const errors = state.fieldErrors ?? {};
  const hintId = `images-hint-${list.dbType}`;
  const errorId = `images-error-${list.dbType}`;
  const shown = state.status === "error" && typeof state.values?.images === "string" ? state.values.images : list.images.join("\n");
  return (
    <form className="panel stack" action={action} noValidate aria-label={`Container images for ${list.label}`}>
      <FormStatus state={state} />
      <input type="hidden" name="dbType" value={list.dbType} />
      <label htmlFor={`images-${list.dbType}`}>{list.label}</label>
      <textarea
        id={`images-${list.dbType}`}
        name="images"
        rows={Math.max(2, list.images.length + 1)}
        spellCheck={false}
        defaultValue={shown}
        aria-describedby={errors.images ? `${hintId} ${errorId}` : hintId}
        aria-invalid={errors.images ? true : undefined}
      />
      <p id={hintId} className="muted">
        {list.images.length === 0 ? "None yet: container runs of this type are refused. " : ""}One image per line, e.g. postgres:16; the
        first is the default. With &ldquo;match the backup&apos;s engine version&rdquo; the first image whose tag names the dump&apos;s
        major version is used.
      </p>
      {errors.images && (
        <p id={errorId} className="error" role="alert">
          {errors.images[0]}
        </p>
      )}
      <SubmitButton pendingText="Saving…">Save images</SubmitButton>
    </form>
  );
}
