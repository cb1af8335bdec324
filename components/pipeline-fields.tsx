import { Fragment, type ReactElement, type ReactNode } from "react";
import { DbTypeSelect, GpgKeySelect, SshKeySelect } from "@/components/backup-pickers";
import { Field } from "@/components/field";
import { TestConnection } from "@/components/test-connection";
import type { CredentialChoices } from "@/lib/credentials/catalog";
import type { PipelineParameter } from "@/lib/pipeline/parameters";
import { SANDBOX_PROVIDER_LABELS, SANDBOX_PROVIDERS } from "@/lib/pipeline/sandbox-providers";

// The pipeline parameters' fields, the same in the run form and the schedule form: labels, hints,
// order and limits all come from the table (lib/pipeline/parameters.ts).

interface PipelineFieldsProps {
  /** RUN_PARAMETERS or SCHEDULE_PARAMETERS. */
  rows: readonly PipelineParameter[];
  /** The values the form holds (strings), e.g. after a refused submit. */
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
  choices: CredentialChoices;
  idPrefix?: string;
  /** Shown just before a parameter's field: the schedule form's switch for failure mails. */
  before?: Partial<Record<string, ReactNode>>;
  /** Fields shown but not submitted (their schema default applies). */
  disabled?: Partial<Record<string, boolean>>;
}

export function PipelineFields({ rows, values, errors, choices, idPrefix, before = {}, disabled = {} }: PipelineFieldsProps) {
  return rows.map((row) => (
    <Fragment key={row.key}>
      {before[row.key]}
      <Field idPrefix={idPrefix} label={row.label} name={row.key} errors={errors[row.key]} hint={row.hint}>
        {control(row, values[row.key], choices, disabled[row.key] === true)}
      </Field>
      {/* Host, path or pattern and key are all above it: the connection can be tested here. */}
      {row.key === "sshCredentialId" && <TestConnection />}
    </Fragment>
  ));
}

function control(
  row: PipelineParameter,
  value: string | undefined,
  choices: CredentialChoices,
  disabled: boolean,
): ReactElement<Record<string, unknown>> {
  const c = row.control;
  switch (c.element) {
    case "text":
      return (
        <input
          type="text"
          defaultValue={value}
          required={c.required}
          maxLength={c.maxLength}
          autoComplete="off"
          spellCheck={c.code ? false : undefined}
          placeholder={c.placeholder}
          disabled={disabled || undefined}
        />
      );
    case "number":
      return (
        <input
          type="number"
          defaultValue={value ?? row.jenkinsDefault}
          // A number without a default (the maximum backup age) may stay empty: no limit, or the schedule's default.
          required={row.jenkinsDefault !== ""}
          min={c.min}
          max={c.max}
          inputMode="numeric"
          disabled={disabled || undefined}
        />
      );
    case "textarea":
      return (
        <textarea
          defaultValue={value}
          rows={c.rows}
          maxLength={c.maxLength}
          spellCheck={false}
          autoComplete="off"
          disabled={disabled || undefined}
        />
      );
    case "db-type":
      return <DbTypeSelect defaultValue={value ?? ""} disabled={disabled || undefined} />;
    case "ssh-key":
      return <SshKeySelect choices={choices.ssh} defaultValue={value} disabled={disabled || undefined} />;
    case "gpg-key":
      return <GpgKeySelect choices={choices.gpg} defaultValue={value ?? ""} disabled={disabled || undefined} />;
    case "sandbox-provider":
      return (
        <select defaultValue={value ?? row.jenkinsDefault} disabled={disabled || undefined}>
          {SANDBOX_PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {SANDBOX_PROVIDER_LABELS[p]}
            </option>
          ))}
        </select>
      );
  }
}
