"use server";

import { serverAction } from "./server";
import * as specs from "@/lib/schedules/actions";

export const createSchedule = serverAction(specs.createScheduleAction, {
  revalidate: "/",
  redirectTo: (state) => `/schedules/${state.result?.scheduleId}`,
});
export const updateSchedule = serverAction(specs.updateScheduleAction, {
  revalidate: "/",
  redirectTo: (state) => `/schedules/${state.result?.scheduleId}`,
});
export const pauseSchedule = serverAction(specs.pauseScheduleAction, { revalidate: "/" });
export const resumeSchedule = serverAction(specs.resumeScheduleAction, { revalidate: "/" });
export const deleteSchedule = serverAction(specs.deleteScheduleAction, { revalidate: "/", redirectTo: "/schedules" });
export const runScheduleNow = serverAction(specs.runScheduleNowAction, { revalidate: "/" });
export const repairSchedule = serverAction(specs.repairScheduleAction, { revalidate: "/" });
