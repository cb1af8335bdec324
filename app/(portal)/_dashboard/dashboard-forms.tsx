import Link from "next/link";
import type { CredentialChoices } from "@/lib/credentials/catalog";
import { RunForm } from "../runs/new/run-form";
import { ScheduleForm } from "../schedules/schedule-form";

/**
 * The wireframe's two forms: "Run a Test Restoration" (its field ids prefixed, as both forms have
 * the same field names) and "Schedule Regular Restoration Test". Their key lists come from the
 * portal's records (lib/dashboard/credential-choices.ts), so the page asks Jenkins nothing.
 */
export function DashboardForms({ choices }: { choices: CredentialChoices }) {
  return (
    <>
      <section aria-labelledby="run-form-heading">
        <h2 id="run-form-heading">Run a Test Restoration on Backup</h2>
        <div className="panel">
          <p className="muted">
            Fetch, decrypt and restore one backup now, and watch each stage live. <Link href="/runs/new">Run a restore</Link> also lists
            keys created in Jenkins itself.
          </p>
          <RunForm choices={choices} blockedReason={null} idPrefix="run-" />
        </div>
      </section>
      <section aria-labelledby="new-schedule-heading">
        <h2 id="new-schedule-heading">Schedule Regular Restoration Test</h2>
        <div className="panel">
          <p className="muted">
            Keys listed here are those added through the portal; <Link href="/schedules">Schedules</Link> also lists keys created in Jenkins
            itself.
          </p>
          <ScheduleForm choices={choices} />
        </div>
      </section>
    </>
  );
}
