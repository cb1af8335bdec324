import { renderScheduleJobXml } from "@/lib/schedules/job-xml";
import { definitionForJob } from "@/lib/schedules/key-paths";
import { createSchedule, updateSchedule } from "@/lib/schedules/manage";
import { scheduleDetail } from "@/lib/schedules/view";
import type { TestDatabase } from "@/tests/support/databases";
import { canonicalXml } from "@/tools/jenkins/normalize-xml";
import { makeUser, type RunsFixture } from "../runs/support";
import { scheduleDeps, scheduleInput, withScheduleWorld } from "./support";

// A schedule's shrinking-backup settings are the portal's alone: stored with the row, never in
// the Jenkins job (the alarm itself: tests/integration/runs/shrink-alarm.test.ts).

jest.setTimeout(60_000);

describe("the schedule's shrink settings", () => {
  let fx: RunsFixture;
  let t: TestDatabase;
  withScheduleWorld((f, d) => ((fx = f), (t = d)));

  it("should store them with the schedule and leave its Jenkins job alone", async () => {
    const user = await makeUser(t.db);
    const deps = scheduleDeps(t.db, fx.admin);
    const input = scheduleInput(fx, { name: "Shrink settings", shrinkThresholdPct: "35", shrinkOnDrop: "fail" });
    const { id, jobName } = await createSchedule(deps, user, input);
    const row = await t.db.schedule.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ shrinkThresholdPct: 35, shrinkFailsRun: true });
    const served = canonicalXml(await fx.admin.getJobConfig(jobName));
    expect(served).toBe(canonicalXml(renderScheduleJobXml(await definitionForJob(t.db, row), `${deps.portalUrl}/api/runs/callback`)));

    // Changing only the alarm changes the row, not what Jenkins serves.
    await updateSchedule(deps, user, id, { ...input, shrinkThresholdPct: 10, shrinkOnDrop: "warn" });
    expect(await t.db.schedule.findUniqueOrThrow({ where: { id } })).toMatchObject({ shrinkThresholdPct: 10, shrinkFailsRun: false });
    expect(canonicalXml(await fx.admin.getJobConfig(jobName))).toBe(served);
    expect(await scheduleDetail(t.db, id)).toMatchObject({ shrinkThresholdPct: 10, shrinkFailsRun: false });
    const update = await t.db.auditEvent.findFirstOrThrow({ where: { action: "schedule.update", target: id } });
    expect(JSON.parse(update.details!)).toMatchObject({ shrink: { shrinkThresholdPct: 10, shrinkFailsRun: false } });
  });
});
