import type { ScheduleWhen } from "@/lib/validation/schedule";

/**
 * A schedule's Jenkins timer spec, and when it fires next. The spec names an exact minute and
 * hour (no `H`), so the portal can say when Jenkins will run it. Jenkins checks its timers every
 * minute against the wall clock in the spec's `TZ=`: a time that does not exist on a DST
 * spring-forward day does not run that day, and one that occurs twice on a fall-back day runs
 * twice. nextRuns() says exactly that.
 */
export function timerSpec(when: ScheduleWhen): string {
  const [hour, minute] = when.time.split(":").map(Number) as [number, number];
  const dom = when.frequency === "monthly" ? String(when.dayOfMonth) : "*";
  const dow = when.frequency === "weekly" ? String(when.weekday) : "*";
  return `TZ=${when.timeZone}\n${minute} ${hour} ${dom} * ${dow}`;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: number, timeZone: string): Wall {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(p.weekday ?? ""),
  };
}

/** The instants (0, 1 or 2) at which the wall clock in timeZone reads the given local time. */
function instantsAt(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number[] {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (t: number) => {
    const w = wallClock(t, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(t / 60_000) * 60_000;
  };
  // The offsets in force around that day cover both sides of any transition.
  const offsets = new Set([offsetAt(asUtc - 36 * 3_600_000), offsetAt(asUtc), offsetAt(asUtc + 36 * 3_600_000)]);
  const found = [...offsets]
    .map((off) => asUtc - off)
    .filter((t) => {
      const w = wallClock(t, timeZone);
      return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
    });
  return [...new Set(found)].sort((a, b) => a - b);
}

/** The next `count` times the schedule fires strictly after `after`. */
export function nextRuns(when: ScheduleWhen, after: Date, count = 1): Date[] {
  const [hour, minute] = when.time.split(":").map(Number) as [number, number];
  const start = wallClock(after.getTime(), when.timeZone);
  const runs: Date[] = [];
  // Walk local calendar days; 400 days covers any monthly schedule twelve times over.
  for (let i = 0; i < 400 && runs.length < count; i++) {
    const d = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, day, weekday] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()];
    if (when.frequency === "weekly" && weekday !== when.weekday) continue;
    if (when.frequency === "monthly" && day !== when.dayOfMonth) continue;
    for (const t of instantsAt(y, m, day, hour, minute, when.timeZone)) {
      if (t > after.getTime() && runs.length < count) runs.push(new Date(t));
    }
  }
  return runs;
}

export function describeWhen(when: ScheduleWhen): string {
  const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const what =
    when.frequency === "daily"
      ? "Every day"
      : when.frequency === "weekly"
        ? `Every ${days[when.weekday]}`
        : `On day ${when.dayOfMonth} of every month`;
  return `${what} at ${when.time} (${when.timeZone})`;
}
