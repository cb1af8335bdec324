import { z } from "zod";
import { DEFAULT_MAX_BACKUP_AGE_HOURS } from "@/lib/pipeline/selection";
import { runParametersSchema, type RunParameters } from "@/lib/validation/run";
import { shrinkSettingsSchema, whenSchema, type ScheduleWhen } from "@/lib/validation/schedule";

// The schedule form: a name, the run form's parameters (same schema), when it runs, and whether
// failures are mailed. One schema for the browser, the server action and the Jenkins job.

/**
 * Names go into the Jenkins job's description and the JJB export, where JJB formats `{…}`:
 * letters, digits, spaces and a few punctuation marks keep them safe there and readable.
 */
export const scheduleNameSchema = z
  .string()
  .trim()
  .min(1, { message: "Give the schedule a name", abort: true })
  .max(80, { message: "Names are at most 80 characters", abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, "Use letters, digits, spaces and . _ ( ) - only, starting with a letter or digit");

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

export const scheduleInputSchema = z
  .intersection(
    runParametersSchema.extend({ name: scheduleNameSchema, notify: checkbox.default(false), ...shrinkSettingsSchema.shape }),
    whenSchema,
  )
  .superRefine((v, ctx) => {
    if (v.notify && v.notifyEmail === "")
      ctx.addIssue({ code: "custom", path: ["notifyEmail"], message: "Enter at least one address to notify, or turn notification off" });
  });

export type ScheduleInput = z.output<typeof scheduleInputSchema>;

export const SCHEDULE_ID_PATTERN = /^[a-z0-9]{20,40}$/;
export const scheduleRefSchema = z.object({
  scheduleId: z.string({ message: "Which schedule?" }).trim().regex(SCHEDULE_ID_PATTERN, "That is not a schedule id."),
});

export const scheduleUpdateSchema = z.intersection(scheduleRefSchema, scheduleInputSchema);

/** What a schedule is, as the Jenkins job and the export need it. */
export interface ScheduleDefinition {
  id: string;
  name: string;
  jobName: string;
  enabled: boolean;
  parameters: RunParameters;
  when: ScheduleWhen;
  /**
   * ALLOWED_PATH_PREFIXES for the job: the SSH key's directories when the job was rendered
   * (lib/credentials/key-paths.ts; ./key-paths.ts adds them to a row's definition).
   */
  allowedPathPrefixes?: string;
}

export function splitInput(input: ScheduleInput): { name: string; parameters: RunParameters; when: ScheduleWhen } {
  // Every schedule has a maximum backup age (its frequency's default unless set) and reads a date
  // template's dates in its own time zone unless told otherwise.
  const parameters: RunParameters = runParametersSchema.parse({
    ...input,
    notifyEmail: input.notify ? input.notifyEmail : "",
    maxBackupAgeHours: input.maxBackupAgeHours ?? DEFAULT_MAX_BACKUP_AGE_HOURS[input.frequency],
    backupTimeZone: input.backupTimeZone || input.timeZone,
  });
  const when: ScheduleWhen =
    input.frequency === "weekly"
      ? { frequency: "weekly", weekday: input.weekday, time: input.time, timeZone: input.timeZone }
      : input.frequency === "monthly"
        ? { frequency: "monthly", dayOfMonth: input.dayOfMonth, time: input.time, timeZone: input.timeZone }
        : { frequency: "daily", time: input.time, timeZone: input.timeZone };
  return { name: input.name, parameters, when };
}

/** The columns a schedule row keeps for its timing and parameters. */
export function rowFields(parameters: RunParameters, when: ScheduleWhen) {
  return {
    parameters: JSON.stringify(parameters),
    frequency: when.frequency,
    weekday: when.frequency === "weekly" ? when.weekday : null,
    dayOfMonth: when.frequency === "monthly" ? when.dayOfMonth : null,
    time: when.time,
    timeZone: when.timeZone,
    notifyEmails: parameters.notifyEmail,
  };
}

export interface ScheduleRowLike {
  id: string;
  name: string;
  jobName: string;
  enabled: boolean;
  parameters: string;
  frequency: string;
  weekday: number | null;
  dayOfMonth: number | null;
  time: string;
  timeZone: string;
}

export function whenOfRow(row: Pick<ScheduleRowLike, "frequency" | "weekday" | "dayOfMonth" | "time" | "timeZone">): ScheduleWhen {
  return whenSchema.parse({
    frequency: row.frequency,
    weekday: row.weekday ?? undefined,
    dayOfMonth: row.dayOfMonth ?? undefined,
    time: row.time,
    timeZone: row.timeZone,
  });
}

export function definitionOfRow(row: ScheduleRowLike): ScheduleDefinition {
  return {
    id: row.id,
    name: row.name,
    jobName: row.jobName,
    enabled: row.enabled,
    parameters: runParametersSchema.parse(JSON.parse(row.parameters)),
    when: whenOfRow(row),
  };
}
