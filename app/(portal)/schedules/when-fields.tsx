"use client";

import { useEffect, useRef, useState } from "react";
import { Field } from "@/components/field";
import { WEEKDAYS } from "@/lib/validation/choices";

// When a schedule runs: frequency, weekday or day of the month, time and time zone.

interface WhenFieldsProps {
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
}

export function WhenFields({ values: v, errors }: WhenFieldsProps) {
  const [frequency, setFrequency] = useState(v.frequency ?? "daily");
  const frequencySelect = useRef<HTMLSelectElement>(null);
  // After a submit React resets the form, which puts the <select> back on "Daily" while the dependent
  // field (weekday, day of the month) follows the state: put the select back on the chosen frequency.
  useEffect(() => {
    if (frequencySelect.current && frequencySelect.current.value !== frequency) frequencySelect.current.value = frequency;
  });
  const browserZone = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  // The ~400 zone names are only suggestions: the browser lists them when the field is first
  // used, rather than every page with this form carrying them.
  const [timeZones, setTimeZones] = useState<string[]>([]);
  const suggestTimeZones = () => {
    if (timeZones.length === 0) setTimeZones(Intl.supportedValuesOf("timeZone"));
  };
  return (
    <>
      <Field label="Frequency" name="frequency" errors={errors.frequency}>
        <select ref={frequencySelect} value={frequency} onChange={(e) => setFrequency(e.target.value)}>
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
      <Field
        label="Time zone"
        name="timeZone"
        errors={errors.timeZone}
        hint="e.g. Europe/Dublin; the schedule follows its daylight-saving changes."
      >
        <input
          type="text"
          defaultValue={v.timeZone ?? browserZone}
          required
          maxLength={64}
          list="schedule-time-zones"
          onFocus={suggestTimeZones}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <datalist id="schedule-time-zones">
        {timeZones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
