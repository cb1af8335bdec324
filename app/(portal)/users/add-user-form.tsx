"use client";

import { useState } from "react";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { addUser } from "@/lib/actions/users";
import { PASSWORD_MIN, addUserSchema } from "@/lib/validation/user";

export function AddUserForm() {
  const [state, action] = useSchemaAction(addUserSchema, addUser, ["password"]);
  const [mode, setMode] = useState(state.values?.passwordMode ?? "one-time");
  const v = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.fieldErrors ?? {};
  return (
    <form className="stack" action={action} noValidate key={state.status === "ok" ? state.result?.userId : "form"}>
      <FormStatus state={state} />
      {state.result?.oneTimePassword && (
        <p className="notice ok" role="status">
          One-time password for {state.result.email}: <span className="secret-once">{state.result.oneTimePassword}</span>. Give it to them
          now; it is not shown again. They choose their own at first sign-in.
        </p>
      )}
      <Field label="Email" name="email" errors={errors.email}>
        <input type="email" defaultValue={v.email} autoComplete="off" required maxLength={254} />
      </Field>
      <Field label="Name" name="name" errors={errors.name}>
        <input type="text" defaultValue={v.name} required maxLength={100} />
      </Field>
      <Field label="Role" name="role" errors={errors.role}>
        <select defaultValue={v.role ?? "user"}>
          <option value="user">User — runs and schedules restores</option>
          <option value="manager">Manager — also manages users and keys</option>
        </select>
      </Field>
      <Field label="First password" name="passwordMode" errors={errors.passwordMode}>
        <select value={mode} onChange={(e) => setMode(e.target.value)}>
          <option value="one-time">Generate a one-time password</option>
          <option value="set">Set a password now</option>
        </select>
      </Field>
      {mode === "set" && (
        <Field label="Password" name="password" errors={errors.password} hint={`At least ${PASSWORD_MIN} characters.`}>
          <input type="password" autoComplete="new-password" required />
        </Field>
      )}
      <SubmitButton pendingText="Adding…">Add user</SubmitButton>
    </form>
  );
}
