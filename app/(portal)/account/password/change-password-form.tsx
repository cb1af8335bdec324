"use client";

import { useEffect, useRef } from "react";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { changeOwnPassword } from "@/lib/actions/users";
import { PASSWORD_MIN, changeOwnPasswordSchema } from "@/lib/validation/user";

export function ChangePasswordForm() {
  const [state, action] = useSchemaAction(changeOwnPasswordSchema, changeOwnPassword, ["current", "next", "confirm"]);
  const errors = state.fieldErrors ?? {};
  const form = useRef<HTMLFormElement>(null);
  // The typed passwords stay in this browser tab only (never sent back by the server): React resets the form
  // after each submit, so a rejected one puts them back, and the person fixes just the field that is wrong.
  const typed = useRef<Record<string, string>>({});
  useEffect(() => {
    if (state.status !== "error" || !form.current) return;
    for (const [name, value] of Object.entries(typed.current)) {
      const input = form.current.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = value;
    }
  }, [state]);
  const remember = (event: React.FormEvent<HTMLFormElement>) => {
    const data = new FormData(event.currentTarget);
    typed.current = Object.fromEntries(["current", "next", "confirm"].map((name) => [name, String(data.get(name) ?? "")]));
  };
  return (
    <form ref={form} className="stack" action={action} onSubmit={remember} noValidate>
      <FormStatus state={state} />
      <Field label="Current password" name="current" errors={errors.current}>
        <input type="password" autoComplete="current-password" required />
      </Field>
      <Field label="New password" name="next" errors={errors.next} hint={`At least ${PASSWORD_MIN} characters.`}>
        <input type="password" autoComplete="new-password" required />
      </Field>
      <Field label="Repeat the new password" name="confirm" errors={errors.confirm}>
        <input type="password" autoComplete="new-password" required />
      </Field>
      <SubmitButton pendingText="Saving…">Change password</SubmitButton>
    </form>
  );
}
