"use client";

import { useState } from "react";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import type { ActionState } from "@/lib/actions/state";
import { addGpgKey } from "@/lib/actions/credentials";
import { addGpgKeySchema, MAX_GPG_KEY_BYTES } from "@/lib/credentials/schemas";
import { KeyIdentityFields, KeyMaterialField, PassphraseField } from "./key-fields";

const SECRET_FIELDS = ["armoredKey", "passphrase"] as const;

export function AddGpgKeyForm() {
  // As in the SSH form: the key stays in this browser across a refused submission.
  const [keyText, setKeyText] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  // Remounting the textarea is how a file read into it shows up (it is uncontrolled).
  const [loadCount, setLoadCount] = useState(0);
  const [state, action] = useSchemaAction(
    addGpgKeySchema,
    async (prev: ActionState, form: FormData) => {
      const next = await addGpgKey(prev, form);
      if (next.status === "ok") setKeyText("");
      return next;
    },
    SECRET_FIELDS,
  );
  const v = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.fieldErrors ?? {};

  // The file is read here, into the text area; it is never uploaded as a file.
  async function readFile(file: File | undefined) {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_GPG_KEY_BYTES) {
      setFileError(
        `That file is larger than ${MAX_GPG_KEY_BYTES / 1024} KiB; export just one key with gpg --export-secret-keys --armor KEY-ID`,
      );
      return;
    }
    setKeyText(await file.text());
    setLoadCount((n) => n + 1);
  }

  return (
    <form className="stack" action={action} noValidate aria-label="Add a GPG key" key={state.status === "ok" ? state.result?.id : "form"}>
      <FormStatus state={state} />
      <p className="notice">
        A key with a passphrase is checked with it, then stored in Jenkins with the passphrase removed, because the restore jobs import it
        without one. Jenkins keeps the key unlocked in its encrypted credentials store; the passphrase is not stored.
      </p>
      <KeyIdentityFields
        values={v}
        errors={errors}
        idHint="3 to 64 lowercase letters, digits, '.', '_' or '-'."
        descriptionHint="Shown next to the id in the pickers, e.g. which backups it decrypts."
      />
      {/* Not a Field: the file input has no name, so the file itself is never sent; its text goes in armoredKey. */}
      <div className="field">
        <label htmlFor="field-armoredKeyFile">Key file</label>
        <input
          id="field-armoredKeyFile"
          type="file"
          accept=".asc,.gpg,.pgp,.key,.txt,text/plain,application/pgp-keys"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? "field-armoredKeyFile-hint field-armoredKeyFile-error" : "field-armoredKeyFile-hint"}
          onChange={(e) => void readFile(e.target.files?.[0])}
        />
        <span id="field-armoredKeyFile-hint" className="hint">
          An ASCII-armored secret key (.asc), read into the box below; at most {MAX_GPG_KEY_BYTES / 1024} KiB.
        </span>
        {fileError && (
          <span id="field-armoredKeyFile-error" className="error" role="alert">
            {fileError}
          </span>
        )}
      </div>
      <KeyMaterialField
        label="Armored private key"
        name="armoredKey"
        errors={errors}
        hint="Or paste the output of gpg --export-secret-keys --armor KEY-ID. A public key is refused."
        value={keyText}
        onChange={setKeyText}
        remountKey={loadCount}
      />
      <PassphraseField errors={errors} hint="Used once to check and unlock the key; not stored." />
      <SubmitButton pendingText="Checking and storing…">Add GPG key</SubmitButton>
    </form>
  );
}
