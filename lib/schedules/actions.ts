import { buildNumberOfClick, clickTokenSchema } from "./run-now";
import { defineAction } from "@/lib/actions/action";
import { db } from "@/lib/db/client";
import { portalUrl } from "@/lib/runs/config";
import { serverJenkins } from "@/lib/runs/server";
import {
  createSchedule,
  deleteSchedule,
  repairSchedule,
  runScheduleNow,
  setScheduleEnabled,
  updateSchedule,
  type ScheduleDeps,
} from "./manage";
import { scheduleInputSchema, scheduleRefSchema, scheduleUpdateSchema } from "./schema";

// Schedules are a team's shared tool: any signed-in user may manage them (like runs).

const deps = (): ScheduleDeps => ({ db, jenkins: serverJenkins(), portalUrl: portalUrl() });

export const createScheduleAction = defineAction({
  name: "schedules.create",
  audit: "schedule.create",
  access: "user",
  schema: scheduleInputSchema,
  handler: async (input, { user }) => {
    const { id, jobName } = await createSchedule(deps(), user, input);
    return { message: `Schedule "${input.name}" created (Jenkins job ${jobName}).`, result: { scheduleId: id } };
  },
});

export const updateScheduleAction = defineAction({
  name: "schedules.update",
  audit: "schedule.update",
  access: "user",
  schema: scheduleUpdateSchema,
  handler: async (input, { user }) => {
    await updateSchedule(deps(), user, input.scheduleId, input);
    return { message: "Schedule saved; its Jenkins job was updated.", result: { scheduleId: input.scheduleId } };
  },
});

export const pauseScheduleAction = defineAction({
  name: "schedules.pause",
  audit: "schedule.pause",
  access: "user",
  schema: scheduleRefSchema,
  handler: async ({ scheduleId }, { user }) => {
    const outcome = await setScheduleEnabled(deps(), user, scheduleId, false);
    return { message: `Scheduling ${outcome === "unchanged" ? "was already stopped" : "stopped"}: the Jenkins job is disabled.` };
  },
});

export const resumeScheduleAction = defineAction({
  name: "schedules.resume",
  audit: "schedule.resume",
  access: "user",
  schema: scheduleRefSchema,
  handler: async ({ scheduleId }, { user }) => {
    const outcome = await setScheduleEnabled(deps(), user, scheduleId, true);
    return { message: `Scheduling ${outcome === "unchanged" ? "was already on" : "resumed"}: the Jenkins job is enabled.` };
  },
});

export const deleteScheduleAction = defineAction({
  name: "schedules.delete",
  audit: "schedule.delete",
  access: "user",
  schema: scheduleRefSchema,
  handler: async ({ scheduleId }, { user }) => {
    await deleteSchedule(deps(), user, scheduleId);
    return { message: "Schedule deleted; its Jenkins job is gone. Its past runs stay in Results." };
  },
});

export const runScheduleNowAction = defineAction({
  name: "schedules.run-now",
  audit: "schedule.run-now",
  access: "user",
  // The buttons always send their click's token (components/run-now-form.tsx); a repeat of one click starts nothing new.
  schema: scheduleRefSchema.extend({ clickToken: clickTokenSchema }),
  handler: async ({ scheduleId, clickToken }, { user }): Promise<{ message: string; result: Record<string, string> }> => {
    const d = deps();
    const started = await runScheduleNow(d, user, scheduleId, clickToken);
    const build = await buildNumberOfClick(d, started);
    // The run's own page exists once the reconciler took in the pipeline build this one triggers (seconds later);
    // the schedule's history shows it then, and refreshes itself.
    const historyHref = `/schedules/${scheduleId}#previous-restores`;
    if (build === null)
      return {
        message: "Queued in Jenkins: it starts when an executor is free, and appears in Previous Restores then.",
        result: { runHref: historyHref, queueId: String(started.queueId) },
      };
    return { message: `Started run #${build} of ${started.jobName}.`, result: { runHref: historyHref, build: String(build) } };
  },
});

export const repairScheduleAction = defineAction({
  name: "schedules.repair",
  audit: "schedule.repair",
  access: "user",
  schema: scheduleRefSchema,
  handler: async ({ scheduleId }, { user }) => {
    await repairSchedule(deps(), user, scheduleId);
    return { message: "Repaired: the Jenkins job is back as the portal defines it." };
  },
});
