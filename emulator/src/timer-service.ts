import { cronMatches, parseCronSchedule, type CronSchedule } from "./cron/crontab";
import type { EmulatorCore } from "./core";
import type { Job } from "./model/items";
import { parametersFor } from "./runner/parameters";
import { timerCause } from "./runner/causes";

// hudson.triggers.Trigger.Cron: once a minute (just after the minute
// starts) every enabled job whose TimerTrigger spec matches is scheduled
// with a TimerTriggerCause and no quiet period.

export class TimerService {
  private timeout: NodeJS.Timeout | undefined;
  private readonly cache = new Map<string, CronSchedule | Error>();

  constructor(private readonly core: EmulatorCore) {}

  start(): void {
    const msToNextMinute = 60_000 - (Date.now() % 60_000) + 50;
    this.timeout = setTimeout(() => {
      this.check(new Date());
      this.start();
    }, msToNextMinute);
    this.timeout.unref();
  }

  stop(): void {
    if (this.timeout) clearTimeout(this.timeout);
  }

  private schedules(job: Job): CronSchedule[] {
    return job.def.timerSpecs.flatMap((spec) => {
      const key = `${job.fullName}\n${spec}`;
      let parsed = this.cache.get(key);
      if (!parsed) {
        try {
          parsed = parseCronSchedule(spec, job.fullName);
        } catch (err) {
          parsed = err as Error;
        }
        this.cache.set(key, parsed);
      }
      return parsed instanceof Error ? [] : [parsed];
    });
  }

  check(now: Date): void {
    if (this.core.downUntil > Date.now()) return;
    for (const job of this.core.store.allJobs()) {
      if (job.disabled) continue;
      if (this.schedules(job).some((s) => cronMatches(s, now))) this.fire(job);
    }
  }

  /** What the timer does when it fires; exposed for tests via fireTimer. */
  fire(job: Job): number {
    return this.core.schedule(job, parametersFor(job, new Map()), [timerCause()], 0).item.id;
  }
}
