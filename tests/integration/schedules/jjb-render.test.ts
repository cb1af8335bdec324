import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { load } from "js-yaml";
import { exportSchedulesYaml } from "@/lib/schedules/export";
import { renderScheduleJobXml } from "@/lib/schedules/job-xml";
import { createSchedule, setScheduleEnabled } from "@/lib/schedules/manage";
import { definitionForJob } from "@/lib/schedules/key-paths";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { canonicalXml } from "@/tools/jenkins/normalize-xml";
import { renderJobs } from "@/tools/jenkins/render-jobs";
import { makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { PORTAL_URL, jenkinsSide, scheduleDeps, scheduleInput } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// The portal's schedule jobs are JJB's: the export, rendered by the real `jenkins-jobs test`
// with jenkins-jobs/ (schedule.yaml + defaults), gives job for job what the portal pushed to
// Jenkins — and byte for byte what the portal renders.

jest.setTimeout(120_000);

const JOBS_DIR = path.resolve(__dirname, "../../../jenkins-jobs");
let fx: RunsFixture;
let t: TestDatabase;
let work: string;
beforeAll(async () => {
  fx = await startRunsFixture();
  t = await freshDatabase("sqlite");
  await allowKeyPaths(t.db);
  work = await fs.mkdtemp(path.join(os.tmpdir(), "rd-jjb-export-"));
});
afterAll(async () => {
  await t?.drop();
  await stopRunsFixture(fx);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

it("should render the export with jenkins-jobs into exactly the jobs the portal pushed", async () => {
  const user = await makeUser(t.db);
  const deps = scheduleDeps(t.db, fx.admin);
  await createSchedule(deps, user, scheduleInput(fx, { name: "Daily shop (EU)", time: "00:00", timeZone: "Europe/Dublin" }));
  await createSchedule(
    deps,
    user,
    scheduleInput(fx, {
      name: "Weekly ledger",
      frequency: "weekly",
      weekday: "0",
      time: "23:59",
      timeZone: "America/Los_Angeles",
      dbType: "postgresql",
      backupHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
      backupPort: "2222",
      // Data checks (issue 14): quotes, < > and & must come out of JJB exactly as the portal renders them.
      assertions: "ledger >= 1000\npublic.accounts, audit_log > 0",
      freshnessQuery: "SELECT max(posted_at)\nFROM ledger WHERE status <> 'void' AND amount > 0 OR note = 'R&D \"x\"';",
      freshnessMaxAgeHours: "170",
    }),
  );
  const paused = await createSchedule(
    deps,
    user,
    scheduleInput(fx, {
      name: "Monthly archive v2.1",
      frequency: "monthly",
      dayOfMonth: "28",
      time: "12:30",
      timeZone: "Asia/Kolkata",
      notify: "",
      notifyEmail: "",
      dbType: "sqlite",
    }),
  );
  await setScheduleEnabled(deps, user, paused.id, false);

  const rows = await t.db.schedule.findMany();
  const yaml = exportSchedulesYaml(await Promise.all(rows.map((row) => definitionForJob(t.db, row))), `${PORTAL_URL}/api/runs/callback`);
  const projects = load(yaml) as { project: { name: string; jobs: string[] } }[];
  expect(projects.map((p) => p.project.name).sort()).toEqual(rows.map((r) => r.jobName).sort());
  expect(projects.every((p) => p.project.jobs[0] === "restore-drill-schedule-{slug}")).toBe(true);

  const exportFile = path.join(work, "restore-drill-schedules.yaml");
  await fs.writeFile(exportFile, yaml);
  const rendered = (await renderJobs(`${JOBS_DIR}/:${exportFile}`)).filter((j) => j.name.startsWith("restore-drill-schedule-"));
  expect(rendered.map((j) => j.name).sort()).toEqual(rows.map((r) => r.jobName).sort());

  const pushed = await jenkinsSide(fx);
  expect(pushed.jobs).toEqual(rendered.map((j) => j.name).sort());
  for (const job of rendered) {
    const row = rows.find((r) => r.jobName === job.name)!;
    expect({ job: job.name, xml: canonicalXml(job.xml) }).toEqual({ job: job.name, xml: pushed.configs[job.name] });
    expect({ job: job.name, xml: renderScheduleJobXml(await definitionForJob(t.db, row), `${PORTAL_URL}/api/runs/callback`) }).toEqual({
      job: job.name,
      xml: job.xml,
    });
  }
  expect(pushed.configs["restore-drill-schedule-monthly-archive-v2-1"]).toContain("<disabled>true</disabled>");
});

it("should leave the repository's own render alone: no project instance of the schedule template is committed", async () => {
  const rendered = await renderJobs(JOBS_DIR);
  expect(rendered.some((j) => j.name.startsWith("restore-drill-schedule-"))).toBe(false);
  expect(rendered.map((j) => j.name)).toContain("restore-drill-pipeline");
});
