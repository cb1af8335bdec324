"use client";

import { FormStatus } from "@/components/form-status";
import { PipelineFields } from "@/components/pipeline-fields";
import { SubmitButton } from "@/components/submit-button";
import { useSchemaAction } from "@/components/use-schema-action";
import { startRun } from "@/lib/actions/runs";
import type { CredentialChoices } from "@/lib/credentials/catalog";
import { RUN_PARAMETERS } from "@/lib/pipeline/parameters";

// The schema loads after the form is on screen: zod stays out of the home page's first load.
const loadRunSchema = () => import("@/lib/validation/run").then((m) => m.runParametersSchema);

interface RunFormProps {
  choices: CredentialChoices;
  /** Why a run cannot start now (Jenkins down); the form is shown but not submittable. */
  blockedReason: string | null;
  /** Prefix of the fields' ids when the form shares a page with another form (the dashboard). */
  idPrefix?: string;
  /** Values to start from: "Run again" (lib/runs/prefill.ts). */
  initial?: Record<string, string>;
}

export function RunForm({ choices, blockedReason, idPrefix, initial = {} }: RunFormProps) {
  // The same schema the server action checks: messages appear before any round trip.
  const [state, action] = useSchemaAction(loadRunSchema, startRun);
  const v = { ...initial, ...(state.status === "error" ? (state.values ?? {}) : {}) };
  const errors = state.fieldErrors ?? {};
  return (
    <form className="stack wide" action={action} noValidate aria-label="Run a test restoration">
      <FormStatus state={state} />
      <fieldset disabled={blockedReason !== null} className="plain">
        <div className="stack">
          <PipelineFields rows={RUN_PARAMETERS} values={v} errors={errors} choices={choices} idPrefix={idPrefix} />
          <div className="actions">
            <SubmitButton pendingText="Starting…">Run restore</SubmitButton>
            {blockedReason && <span className="muted">{blockedReason}</span>}
          </div>
        </div>
      </fieldset>
    </form>
  );
}
