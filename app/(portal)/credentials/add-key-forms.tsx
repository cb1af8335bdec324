"use client";

import { useState } from "react";
import { AddGpgKeyForm } from "./add-gpg-key-form";
import { AddSshKeyForm } from "./add-ssh-key-form";

/**
 * One add form at a time: both have Id, Description and Passphrase fields, and
 * the field ids (components/field.tsx: `field-<name>`) must be unique on the page
 * for the labels to point at the right control.
 */
export function AddKeyForms() {
  const [kind, setKind] = useState<"ssh" | "gpg">("ssh");
  return (
    <>
      <fieldset className="actions" style={{ marginBottom: "1rem" }}>
        <legend>Kind of key</legend>
        <label>
          <input type="radio" name="add-key-kind" value="ssh" checked={kind === "ssh"} onChange={() => setKind("ssh")} /> SSH key (logs in
          to the backup server)
        </label>
        <label>
          <input type="radio" name="add-key-kind" value="gpg" checked={kind === "gpg"} onChange={() => setKind("gpg")} /> GPG key (decrypts
          the backup)
        </label>
      </fieldset>
      {kind === "ssh" ? <AddSshKeyForm /> : <AddGpgKeyForm />}
    </>
  );
}
