// Every change to a schedule, one file per operation around one shared helper (change.ts:
// Jenkins first, then the row, undone in Jenkins if the row cannot be written).

export type { Actor, ScheduleDeps, ScheduleJenkins } from "./change";
export { loadSchedule } from "./change";
export { createSchedule } from "./create";
export { checkDrift, repairSchedule, type Drift, type DriftJenkins } from "./drift";
export { deleteSchedule } from "./delete";
export { setScheduleEnabled } from "./pause";
export { runScheduleNow } from "./run-now";
export { updateSchedule } from "./update";
