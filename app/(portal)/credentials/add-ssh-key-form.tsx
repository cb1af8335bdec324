"use client";

import { useState } from "react";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import type { ActionState } from "@/lib/actions/state";
import { addSshKey } from "@/lib/actions/credentials";
import { addSshKeySchema, MAX_SSH_KEY_BYTES } from "@/lib/credentials/schemas";
import { KeyIdentityFields, KeyMaterialField, PassphraseField } from "./key-fields";

const SECRET_FIELDS = ["privateKey", "passphrase"] as const;

export function AddSshKeyForm() {
  // The pasted key stays in this browser (never echoed by the server) so that a
  // refused form, e.g. a wrong passphrase, does not have to be pasted again.
  const [keyText, setKeyText] = useState("");
  const [state, action] = useSchemaAction(
    addSshKeySchema,
    async (prev: ActionState, form: FormData) => {
      const next = await addSshKey(prev, form);
      if (next.status === "ok") setKeyText("");
      return next;
    },
    SECRET_FIELDS,
  );
  const v = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.fieldErrors ?? {};
  return (
    <form className="stack" action={action} noValidate aria-label="Add an SSH key" key={state.status === "ok" ? state.result?.id : "form"}>
      <FormStatus state={state} />
      <KeyIdentityFields
        values={v}
        errors={errors}
        idHint="How jobs and forms refer to the key: 3 to 64 lowercase letters, digits, '.', '_' or '-'."
        descriptionHint="Shown next to the id in the pickers, e.g. which backup servers it opens."
      />
      <Field label="User name on the backup server" name="username" errors={errors.username}>
        <input type="text" defaultValue={v.username} autoComplete="off" required maxLength={64} spellCheck={false} />
      </Field>
      <KeyMaterialField
        label="Private key"
        name="privateKey"
        errors={errors}
        hint={`The whole file (OpenSSH or PEM), from -----BEGIN to -----END; at most ${MAX_SSH_KEY_BYTES / 1024} KiB.`}
        value={keyText}
        onChange={setKeyText}
      />
      <PassphraseField errors={errors} hint="Stored with the key in Jenkins, which the jobs need to use it." />
      <SubmitButton pendingText="Checking and storing…">Add SSH key</SubmitButton>
    </form>
  );
}
