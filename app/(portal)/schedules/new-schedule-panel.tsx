import { scheduleFormData } from "./form-data";
import { ScheduleForm } from "./schedule-form";

/** "Schedule Regular Restoration Test" (home page wireframe), also on /schedules. */
export async function NewSchedulePanel({ initial }: { initial?: Record<string, string> } = {}) {
  const { choices, problem } = await scheduleFormData();
  return (
    <section aria-labelledby="new-schedule-heading">
      <h2 id="new-schedule-heading">Schedule Regular Restoration Test</h2>
      {problem && (
        <div className="notice error" role="alert">
          <p>
            <strong>No schedule can be saved now.</strong> {problem}
          </p>
        </div>
      )}
      <div className="panel">
        <ScheduleForm
          choices={choices}
          initial={initial}
          blockedReason={problem ? "Jenkins is not available; the form works again once it answers." : null}
        />
      </div>
    </section>
  );
}
