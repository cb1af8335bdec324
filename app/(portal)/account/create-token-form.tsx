"use client";

import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { createToken } from "@/lib/actions/tokens";
import { API_SCOPES, EXPIRY_CHOICES, SCOPE_LABELS, createTokenSchema } from "@/lib/api/token-schema";

export function CreateTokenForm({ isManager }: { isManager: boolean }) {
  const [state, action] = useSchemaAction(createTokenSchema, createToken);
  const v = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.fieldErrors ?? {};
  const scopes = API_SCOPES.filter((s) => s !== "admin" || isManager);
  return (
    <form
      className="stack"
      action={action}
      noValidate
      aria-label="Create a token"
      key={state.status === "ok" ? state.result?.tokenId : "form"}
    >
      <FormStatus state={state} />
      {state.result?.token && (
        <div className="notice ok" role="status">
          <p>
            Your new token <strong>{state.result.name}</strong> — copy it now; it is not shown again:
          </p>
          <p>
            <code className="secret-once" data-testid="new-token">
              {state.result.token}
            </code>
          </p>
        </div>
      )}
      <Field label="Name" name="name" errors={errors.name} hint="What uses it, e.g. ci-nightly or grafana.">
        <input type="text" defaultValue={v.name} required maxLength={60} autoComplete="off" />
      </Field>
      <Field label="Expires" name="expiresIn" errors={errors.expiresIn}>
        <select defaultValue={v.expiresIn ?? "90"}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c} value={c}>
              {c === "never" ? "Never" : `In ${c} days`}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>Scopes</legend>
        {scopes.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" name={`scope_${s}`} defaultChecked={v[`scope_${s}`] === "on" || (!state.values && s === "read")} />{" "}
            {SCOPE_LABELS[s]}
          </label>
        ))}
        {errors.scopes && <p className="field-error">{errors.scopes.join(" ")}</p>}
      </fieldset>
      <SubmitButton pendingText="Creating…">Create token</SubmitButton>
    </form>
  );
}
