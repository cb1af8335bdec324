"use client";

import { useState } from "react";
import { Field } from "@/components/field";
import { FormStatus } from "@/components/form-status";
import { PipelineFields } from "@/components/pipeline-fields";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { createSchedule, updateSchedule } from "@/lib/actions/schedules";
import type { CredentialChoices } from "@/lib/credentials/catalog";
import { SCHEDULE_PARAMETERS } from "@/lib/pipeline/parameters";
import { ShrinkFields } from "./shrink-fields";
import { WhenFields } from "./when-fields";

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
  const [notify, setNotify] = useState((v.notify ?? "") === "on");
  // Failure mails are a choice: the addresses field is shown but unused until it is switched on.
  const notifySwitch = (
    <div className="field">
      <label>
        <input type="checkbox" name="notify" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> E-mail when a run fails, does
        not run, or its backup shrinks
      </label>
    </div>
  );
  return (
    <form className="stack wide" action={action} noValidate aria-label="Schedule regular restoration test">
      <FormStatus state={state} />
      {editing && <input type="hidden" name="scheduleId" value={scheduleId} />}
      <fieldset disabled={blockedReason !== null} className="plain">
        <div className="stack">
          <Field label="Schedule name" name="name" errors={errors.name} hint="Shown in the portal and in the Jenkins job's description.">
            <input type="text" defaultValue={v.name} required maxLength={80} autoComplete="off" placeholder="Shop database, nightly" />
          </Field>
          <PipelineFields
            rows={SCHEDULE_PARAMETERS}
            values={v}
            errors={errors}
            choices={choices}
            before={{ notifyEmail: notifySwitch }}
            disabled={{ notifyEmail: !notify }}
          />
          <WhenFields values={v} errors={errors} />
          <ShrinkFields values={v} errors={errors} />
          <div className="actions">
            <SubmitButton pendingText="Saving…">{editing ? "Save schedule" : "Schedule"}</SubmitButton>
            {blockedReason && <span className="muted">{blockedReason}</span>}
          </div>
        </div>
      </fieldset>
    </form>
  );
}
