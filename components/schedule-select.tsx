import type { SelectHTMLAttributes } from "react";

/** A filter's schedule picker (results, statistics); `emptyLabel` names the no-filter choice. Takes the props <Field> adds. */
export function ScheduleSelect({
  schedules,
  emptyLabel,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { schedules: { id: string; name: string }[]; emptyLabel: string }) {
  return (
    <select {...props}>
      <option value="">{emptyLabel}</option>
      {schedules.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
