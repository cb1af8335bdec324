import type { ReactElement } from "react";
import { cloneElement } from "react";

interface FieldProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
  /** Set when two forms with the same field names share a page (the dashboard), to keep ids unique. */
  idPrefix?: string;
  children: ReactElement<Record<string, unknown>>;
}

/** A labelled form control whose error is announced and tied to the control. */
export function Field({ label, name, errors, hint, idPrefix = "", children }: FieldProps) {
  const id = `${idPrefix}field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, name, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {errors?.length ? (
        <span id={`${id}-error`} className="error" role="alert">
          {errors.map((message) => (
            <span key={message}>{message}</span>
          ))}
        </span>
      ) : null}
    </div>
  );
}
