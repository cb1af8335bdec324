import type { SelectHTMLAttributes } from "react";
import type { CredentialChoice } from "@/lib/credentials/catalog";
import { DB_TYPE_LABELS, DB_TYPES } from "@/lib/validation/choices";

// The pickers the run form and the schedule form share. Each passes the props <Field> adds
// (id, name, aria-*) through to its <select>.

type SelectProps = SelectHTMLAttributes<HTMLSelectElement>;

const keyLabel = (c: CredentialChoice) => [c.id, c.description, c.fingerprint].filter(Boolean).join(" — ");

export function DbTypeSelect(props: SelectProps) {
  return (
    <select required {...props}>
      <option value="" disabled>
        Choose…
      </option>
      {DB_TYPES.map((t) => (
        <option key={t} value={t}>
          {DB_TYPE_LABELS[t]}
        </option>
      ))}
    </select>
  );
}

/** The SSH keys Jenkins holds; preselected when there is only one. */
export function SshKeySelect({ choices, defaultValue, ...props }: SelectProps & { choices: CredentialChoice[] }) {
  return (
    <select required defaultValue={defaultValue ?? (choices.length === 1 ? choices[0]?.id : "")} {...props}>
      <option value="">Choose…</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {keyLabel(c)}
        </option>
      ))}
    </select>
  );
}

export function GpgKeySelect({ choices, ...props }: SelectProps & { choices: CredentialChoice[] }) {
  return (
    <select {...props}>
      <option value="">None — the backup is not encrypted</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {keyLabel(c)}
        </option>
      ))}
    </select>
  );
}
