"use client";

import { useState } from "react";
import { DbTypeSelect, GpgKeySelect, SshKeySelect } from "@/components/backup-pickers";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { createSchedule, updateSchedule } from "@/lib/actions/schedules";
import type { CredentialChoices } from "@/lib/credentials/catalog";
import { SHRINK_THRESHOLD_DEFAULT, WEEKDAYS } from "@/lib/validation/choices";

// The schemas load after the form is on screen: zod stays out of the home page's first load.
const loadInputSchema = () => import("@/lib/schedules/schema").then((m) => m.scheduleInputSchema);
const loadUpdateSchema = () => import("@/lib/schedules/schema").then((m) => m.scheduleUpdateSchema);

/** "Schedule Regular Restoration Test": used on the home page, on /schedules and to modify one. */
export interface ScheduleFormProps {
  choices: CredentialChoices;
  /** Values of the schedule being modified (strings, as the form holds them). */
  initial?: Record<string, string>;
  scheduleId?: string;
  blockedReason?: string | null;
}

export function ScheduleForm({ choices, initial = {}, scheduleId, blockedReason = null }: ScheduleFormProps) {
  const editing = scheduleId !== undefined;
  const [state, action] = useSchemaAction(editing ? loadUpdateSchema : loadInputSchema, editing ? updateSchedule : createSchedule);
  const v = { ...initial, ...(state.status === "error" ? (state.values ?? {}) : {}) };
  const errors = state.fieldErrors ?? {};
  const [frequency, setFrequency] = useState(v.frequency ?? "daily");
  const [notify, setNotify] = useState((v.notify ?? "") === "on");
  const browserZone = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  // The ~400 zone names are only suggestions: the browser lists them when the field is first
  // used, rather than every page with this form carrying them.
  const [timeZones, setTimeZones] = useState<string[]>([]);
  const suggestTimeZones = () => {
    if (timeZones.length === 0) setTimeZones(Intl.supportedValuesOf("timeZone"));
  };
  return (
    <form className="stack wide" action={action} noValidate aria-label="Schedule regular restoration test">
      <FormStatus state={state} />
      {editing && <input type="hidden" name="scheduleId" value={scheduleId} />}
      <fieldset disabled={blockedReason !== null} className="plain">
        <div className="stack">
          <Field label="Schedule name" name="name" errors={errors.name} hint="Shown in the portal and in the Jenkins job's description.">
            <input type="text" defaultValue={v.name} required maxLength={80} autoComplete="off" placeholder="Shop database, nightly" />
          </Field>
          <Field label="Backup file" name="backupPath" errors={errors.backupPath} hint="Absolute path on the backup host.">
            <input type="text" defaultValue={v.backupPath} required maxLength={1024} autoComplete="off" spellCheck={false} placeholder="/srv/backups/shop.sql.gz.gpg" />
          </Field>
          <Field label="Location (backup host)" name="backupHost" errors={errors.backupHost}>
            <input type="text" defaultValue={v.backupHost} required maxLength={253} autoComplete="off" spellCheck={false} placeholder="backups.example.com" />
          </Field>
          <Field label="SSH port" name="backupPort" errors={errors.backupPort}>
            <input type="number" defaultValue={v.backupPort ?? "22"} required min={1} max={65535} inputMode="numeric" />
          </Field>
          <Field label="Type" name="dbType" errors={errors.dbType}>
            <DbTypeSelect defaultValue={v.dbType ?? ""} />
          </Field>
          <Field label="SSH key" name="sshCredentialId" errors={errors.sshCredentialId}>
            <SshKeySelect choices={choices.ssh} defaultValue={v.sshCredentialId} />
          </Field>
          <Field label="GPG key" name="gpgCredentialId" errors={errors.gpgCredentialId}>
            <GpgKeySelect choices={choices.gpg} defaultValue={v.gpgCredentialId ?? ""} />
          </Field>
          <Field label="Backup host's SSH host key (optional)" name="backupHostKey" errors={errors.backupHostKey} hint="One line from ssh-keyscan; empty trusts the first key seen.">
            <textarea defaultValue={v.backupHostKey} rows={2} maxLength={2000} spellCheck={false} autoComplete="off" />
          </Field>
          <input type="hidden" name="sandboxProvider" value="local" />
          <Field label="Frequency" name="frequency" errors={errors.frequency}>
            <select value={frequency} onChange={(e) => setFrequency(e.target.value)}>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          </Field>
          {frequency === "weekly" && (
            <Field label="Weekday" name="weekday" errors={errors.weekday}>
              <select defaultValue={v.weekday ?? "1"}>
                {WEEKDAYS.map((d, i) => (
                  <option key={d} value={String(i)}>
                    {d}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {frequency === "monthly" && (
            <Field label="Day of the month" name="dayOfMonth" errors={errors.dayOfMonth} hint="1 to 28, so that every month has the day.">
              <input type="number" defaultValue={v.dayOfMonth ?? "1"} min={1} max={28} inputMode="numeric" />
            </Field>
          )}
          <Field label="Time" name="time" errors={errors.time} hint="HH:MM, 24-hour clock, in the time zone below.">
            <input type="text" defaultValue={v.time ?? "02:00"} required maxLength={5} placeholder="02:00" autoComplete="off" />
          </Field>
          <Field label="Time zone" name="timeZone" errors={errors.timeZone} hint="e.g. Europe/Dublin; the schedule follows its daylight-saving changes.">
            <input type="text" defaultValue={v.timeZone ?? browserZone} required maxLength={64} list="schedule-time-zones" onFocus={suggestTimeZones} autoComplete="off" spellCheck={false} />
          </Field>
          <datalist id="schedule-time-zones">
            {timeZones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div className="field">
            <label>
              <input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> E-mail when a run fails, does not run, or its backup shrinks
            </label>
          </div>
          <Field label="Notify by e-mail" name="notifyEmail" errors={errors.notifyEmail} hint="Addresses separated by commas.">
            <input type="text" defaultValue={v.notifyEmail} maxLength={1000} autoComplete="off" placeholder="ops@example.com" disabled={!notify} />
          </Field>
          <Field
            label="Alarm when backup size or rows drop by more than (%)"
            name="shrinkThresholdPct"
            errors={errors.shrinkThresholdPct}
            hint="Compared with this schedule's last passed run; a table that is gone always raises the alarm. 1 to 99."
          >
            <input type="number" defaultValue={v.shrinkThresholdPct ?? String(SHRINK_THRESHOLD_DEFAULT)} required min={1} max={99} step={1} inputMode="numeric" />
          </Field>
          <fieldset className="field plain" aria-describedby={errors.shrinkOnDrop?.length ? "field-shrinkOnDrop-error" : undefined}>
            <legend>On a drop</legend>
            <div className="actions">
              <label>
                <input type="radio" name="shrinkOnDrop" value="warn" defaultChecked={(v.shrinkOnDrop ?? "warn") !== "fail"} style={{ width: "auto" }} /> warn (the run still passes)
              </label>
              <label>
                <input type="radio" name="shrinkOnDrop" value="fail" defaultChecked={v.shrinkOnDrop === "fail"} style={{ width: "auto" }} /> fail the run
              </label>
            </div>
            {errors.shrinkOnDrop?.length ? (
              <span id="field-shrinkOnDrop-error" className="error" role="alert">
                {errors.shrinkOnDrop.join(" ")}
              </span>
            ) : null}
          </fieldset>
          <div className="actions">
            <SubmitButton pendingText="Saving…">{editing ? "Save schedule" : "Schedule"}</SubmitButton>
            {blockedReason && <span className="muted">{blockedReason}</span>}
          </div>
        </div>
      </fieldset>
    </form>
  );
}
