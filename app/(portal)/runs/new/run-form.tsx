"use client";

import { DbTypeSelect, GpgKeySelect, SshKeySelect } from "@/components/backup-pickers";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { startRun } from "@/lib/actions/runs";
import type { CredentialChoices } from "@/lib/credentials/catalog";

// The schema loads after the form is on screen: zod stays out of the home page's first load.
const loadRunSchema = () => import("@/lib/validation/run").then((m) => m.runParametersSchema);

interface RunFormProps {
  choices: CredentialChoices;
  /** Why a run cannot start now (Jenkins down); the form is shown but not submittable. */
  blockedReason: string | null;
  /** Prefix of the fields' ids when the form shares a page with another form (the dashboard). */
  idPrefix?: string;
}

/** Sandbox providers the pipeline knows about; only `local` exists so far (SANDBOX_PROVIDERS). */
const PROVIDERS = [
  { value: "local", label: "Local — a throwaway database server on the Jenkins agent", planned: false },
  { value: "docker", label: "Docker container (planned)", planned: true },
  { value: "aws", label: "AWS instance (planned)", planned: true },
];

export function RunForm({ choices, blockedReason, idPrefix }: RunFormProps) {
  // The same schema the server action checks: messages appear before any round trip.
  const [state, action] = useSchemaAction(loadRunSchema, startRun);
  const v = state.status === "error" ? (state.values ?? {}) : {};
  const errors = state.fieldErrors ?? {};
  return (
    <form className="stack wide" action={action} noValidate aria-label="Run a test restoration">
      <FormStatus state={state} />
      <fieldset disabled={blockedReason !== null} className="plain">
        <div className="stack">
          <Field idPrefix={idPrefix} label="Backup host" name="backupHost" errors={errors.backupHost} hint="Host name or IP address of the server that holds the backup.">
            <input type="text" defaultValue={v.backupHost} required maxLength={253} autoComplete="off" spellCheck={false} placeholder="backups.example.com" />
          </Field>
          <Field idPrefix={idPrefix} label="SSH port" name="backupPort" errors={errors.backupPort}>
            <input type="number" defaultValue={v.backupPort ?? "22"} required min={1} max={65535} inputMode="numeric" />
          </Field>
          <Field idPrefix={idPrefix} label="Backup file path" name="backupPath" errors={errors.backupPath} hint="Absolute path on the backup host, e.g. /srv/backups/shop-2026-05-01.sql.gz.gpg">
            <input type="text" defaultValue={v.backupPath} required maxLength={1024} autoComplete="off" spellCheck={false} placeholder="/srv/backups/…" />
          </Field>
          <Field idPrefix={idPrefix} label="Database type" name="dbType" errors={errors.dbType}>
            <DbTypeSelect defaultValue={v.dbType ?? ""} />
          </Field>
          <Field idPrefix={idPrefix} label="SSH key" name="sshCredentialId" errors={errors.sshCredentialId} hint="The key Jenkins uses to log in to the backup host (id — description — fingerprint).">
            <SshKeySelect choices={choices.ssh} defaultValue={v.sshCredentialId} />
          </Field>
          <Field idPrefix={idPrefix} label="GPG key" name="gpgCredentialId" errors={errors.gpgCredentialId} hint="The key that decrypts the backup.">
            <GpgKeySelect choices={choices.gpg} defaultValue={v.gpgCredentialId ?? ""} />
          </Field>
          <Field
            idPrefix={idPrefix}
            label="Backup host's SSH host key (optional)"
            name="backupHostKey"
            errors={errors.backupHostKey}
            hint="One line from `ssh-keyscan HOST`, e.g. ssh-ed25519 AAAA…. It proves Jenkins talks to the right server. Left empty, Jenkins trusts the first key it sees and refuses a different one later."
          >
            <textarea defaultValue={v.backupHostKey} rows={2} maxLength={2000} spellCheck={false} autoComplete="off" />
          </Field>
          <Field idPrefix={idPrefix} label="Sandbox" name="sandboxProvider" errors={errors.sandboxProvider} hint="Where the throwaway database runs. It is destroyed after every run.">
            <select defaultValue={v.sandboxProvider ?? "local"}>
              {PROVIDERS.map((p) => (
                <option key={p.value} value={p.value} disabled={p.planned}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          <Field idPrefix={idPrefix} label="Notify by e-mail (optional)" name="notifyEmail" errors={errors.notifyEmail} hint="Addresses Jenkins mails when the restore fails, separated by commas.">
            <input type="text" defaultValue={v.notifyEmail} maxLength={1000} autoComplete="off" placeholder="ops@example.com" />
          </Field>
          <div className="actions">
            <SubmitButton pendingText="Starting…">Run restore</SubmitButton>
            {blockedReason && <span className="muted">{blockedReason}</span>}
          </div>
        </div>
      </fieldset>
    </form>
  );
}
