import { SCHEDULE_JOB_PREFIX } from "@/lib/schedules/job-xml";

/**
 * A schedule row as tests write it straight through Prisma, for tests that need a row and not
 * how one is created (that is lib/schedules' own tests).
 */
export function scheduleRow(name: string) {
  return {
    name,
    jobName: `${SCHEDULE_JOB_PREFIX}${name}`,
    ownerEmail: "ann@example.test",
    parameters: "{}",
    frequency: "daily",
    time: "03:00",
    timeZone: "UTC",
    notifyEmails: "",
    createdByEmail: "ann@example.test",
    updatedByEmail: "ann@example.test",
  };
}
