import { z } from "zod";
import { dateTimeFormat } from "@/lib/shared/intl";
import { SHRINK_THRESHOLD_DEFAULT } from "./choices";

// The when-and-who of a schedule; the what (backup, keys, type) is the run form's schema.

export { FREQUENCIES, SHRINK_THRESHOLD_DEFAULT, WEEKDAYS } from "./choices";

export function isTimeZone(tz: string): boolean {
  try {
    dateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeOfDaySchema = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time as HH:MM, from 00:00 to 23:59");

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, "Choose a time zone")
  .max(64)
  .refine(isTimeZone, "Unknown time zone: choose one from the list (e.g. Europe/Dublin)");

// z.coerce.number turns "" (a select left on its placeholder) into 0, which for a weekday is Sunday:
// a blank is no answer, and gets the field's message.
const blankAsMissing = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const frequencySchema = z.discriminatedUnion(
  "frequency",
  [
    z.object({ frequency: z.literal("daily") }),
    z.object({
      frequency: z.literal("weekly"),
      weekday: z.preprocess(
        blankAsMissing,
        z.coerce.number({ message: "Choose a weekday" }).int("Choose a weekday").min(0, "Choose a weekday").max(6, "Choose a weekday"),
      ),
    }),
    z.object({
      frequency: z.literal("monthly"),
      dayOfMonth: z.preprocess(
        blankAsMissing,
        z.coerce
          .number({ message: "Choose a day of the month" })
          .int("Choose a day of the month")
          .min(1, "Choose a day from 1 to 28")
          .max(28, "Monthly schedules run on days 1 to 28, so that every month has the day"),
      ),
    }),
  ],
  { message: "Choose daily, weekly or monthly" },
);

export type Frequency = z.output<typeof frequencySchema>;

export const whenSchema = z.intersection(frequencySchema, z.object({ time: timeOfDaySchema, timeZone: timeZoneSchema }));
export type ScheduleWhen = z.output<typeof whenSchema>;

// The shrinking-backup alarm's settings (lib/runs/shrink.ts): portal-only, they do not change
// the schedule's Jenkins job.

const thresholdMessage = "Enter a whole number of per cent, from 1 to 99";

export const shrinkThresholdSchema = z.coerce
  .number({ message: thresholdMessage })
  .int(thresholdMessage)
  .min(1, thresholdMessage)
  .max(99, thresholdMessage);

export const SHRINK_ON_DROP = ["warn", "fail"] as const;

/** Form fields: shrinkThresholdPct (text) and shrinkOnDrop (radio). Absent fields take the defaults. */
export const shrinkSettingsSchema = z.object({
  shrinkThresholdPct: shrinkThresholdSchema.optional().default(SHRINK_THRESHOLD_DEFAULT),
  shrinkOnDrop: z.enum(SHRINK_ON_DROP, { message: "Choose whether a drop warns or fails the run" }).optional().default("warn"),
});
export type ShrinkSettingsInput = z.output<typeof shrinkSettingsSchema>;

/** The Schedule columns for the settings. */
export function shrinkFields(input: ShrinkSettingsInput): { shrinkThresholdPct: number; shrinkFailsRun: boolean } {
  return { shrinkThresholdPct: input.shrinkThresholdPct, shrinkFailsRun: input.shrinkOnDrop === "fail" };
}
