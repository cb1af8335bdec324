"use client";

import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { changeOwnPassword } from "@/lib/actions/users";
import { PASSWORD_MIN, changeOwnPasswordSchema } from "@/lib/validation/user";

export function ChangePasswordForm() {
  const [state, action] = useSchemaAction(changeOwnPasswordSchema, changeOwnPassword, ["current", "next", "confirm"]);
  const errors = state.fieldErrors ?? {};
  return (
    <form className="stack" action={action} noValidate>
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
