import type { Page } from "@playwright/test";
import type { RunFixture } from "./run-fixture";

/** Fills the home page's "Schedule regular restoration test" form with the fixture's PostgreSQL backup. */
export async function fillSchedule(
  page: Page,
  fixture: RunFixture,
  values: {
    name: string;
    time?: string;
    timeZone?: string;
    frequency?: string;
    dayOfMonth?: string;
    notify?: boolean;
    notifyEmail?: string;
    assertions?: string;
    freshnessQuery?: string;
    /** Backup selection: a directory and a pattern instead of the fixture's file. */
    backupPath?: string;
    backupPattern?: string;
  },
) {
  const form = page.getByRole("form", { name: "Schedule regular restoration test" });
  await form.getByLabel("Schedule name").fill(values.name);
  await form.getByLabel("Backup file path").fill(values.backupPath ?? fixture.postgres.path);
  if (values.backupPattern !== undefined) await form.getByLabel("File-name pattern (optional)").fill(values.backupPattern);
  await form.getByLabel("Backup host", { exact: true }).fill(fixture.backupHost);
  await form.getByLabel("SSH port").fill(String(fixture.backupPort));
  await form.getByLabel("Database type").selectOption("postgresql");
  await form.getByLabel("SSH key").selectOption(fixture.sshCredentialId);
  await form.getByLabel(/host key/).fill(fixture.hostKey);
  await form.getByLabel("Frequency").selectOption(values.frequency ?? "daily");
  if (values.dayOfMonth !== undefined) await form.getByLabel("Day of the month").fill(values.dayOfMonth);
  await form.getByLabel("Time", { exact: true }).fill(values.time ?? "03:00");
  await form.getByLabel("Time zone").fill(values.timeZone ?? "UTC");
  if (values.notify) {
    await form.getByLabel(/E-mail when a run fails/).check();
    await form.getByLabel("Notify by e-mail").fill(values.notifyEmail ?? "");
  }
  if (values.assertions !== undefined) await form.getByLabel("Data assertions (optional)").fill(values.assertions);
  if (values.freshnessQuery !== undefined) await form.getByLabel("Freshness query (optional)").fill(values.freshnessQuery);
  return form;
}
