import { Field } from "./field";
import { TimeZoneInput } from "./time-zone-input";

interface DateRangeFieldsProps {
  /** The submitted query, as the page received it. */
  raw: Record<string, string | string[] | undefined>;
  errors: Record<string, string[] | undefined>;
}

/** From/To days (both included) in the browser's time zone: the start of every filter form (results, audit). */
export function DateRangeFields({ raw, errors }: DateRangeFieldsProps) {
  const text = (key: string) => (typeof raw[key] === "string" ? raw[key] : "");
  return (
    <>
      <TimeZoneInput current={!errors.tz && text("tz") ? text("tz") : undefined} />
      <Field label="From" name="from" errors={errors.from}>
        <input type="date" defaultValue={text("from")} />
      </Field>
      <Field label="To" name="to" errors={errors.to}>
        <input type="date" defaultValue={text("to")} />
      </Field>
    </>
  );
}
