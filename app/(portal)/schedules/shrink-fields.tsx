import { Field } from "@/components/field";
import { SHRINK_THRESHOLD_DEFAULT } from "@/lib/validation/choices";

// The shrinking-backup alarm's settings (lib/runs/shrink.ts): portal-only, not Jenkins parameters.

interface ShrinkFieldsProps {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
}

export function ShrinkFields({ values: v, errors }: ShrinkFieldsProps) {
  return (
    <>
      <Field
        label="Alarm when backup size or rows drop by more than (%)"
        name="shrinkThresholdPct"
        errors={errors.shrinkThresholdPct}
        hint="Compared with this schedule's last passed run; a table that is gone always raises the alarm. 1 to 99."
      >
        <input
          type="number"
          defaultValue={v.shrinkThresholdPct ?? String(SHRINK_THRESHOLD_DEFAULT)}
          required
          min={1}
          max={99}
          step={1}
          inputMode="numeric"
        />
      </Field>
      <fieldset className="field plain" aria-describedby={errors.shrinkOnDrop?.length ? "field-shrinkOnDrop-error" : undefined}>
        <legend>On a drop</legend>
        <div className="actions">
          <label>
            <input
              type="radio"
              name="shrinkOnDrop"
              value="warn"
              defaultChecked={(v.shrinkOnDrop ?? "warn") !== "fail"}
              style={{ width: "auto" }}
            />{" "}
            warn (the run still passes)
          </label>
          <label>
            <input type="radio" name="shrinkOnDrop" value="fail" defaultChecked={v.shrinkOnDrop === "fail"} style={{ width: "auto" }} />{" "}
            fail the run
          </label>
        </div>
        {errors.shrinkOnDrop?.length ? (
          <span id="field-shrinkOnDrop-error" className="error" role="alert">
            {errors.shrinkOnDrop.join(" ")}
          </span>
        ) : null}
      </fieldset>
    </>
  );
}
