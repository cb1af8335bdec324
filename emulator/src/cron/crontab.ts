import { jenkinsHash } from "./java-random";

// A faithful port of hudson.scheduler.CronTab / CronTabList semantics:
// five fields (minute hour day-of-month month day-of-week), `H` hashed from
// the job's full name, optional `TZ=` first line, `@daily`-style aliases and
// — unlike Vixie cron — day-of-month AND day-of-week must both match.

const LOWER = [0, 0, 1, 1, 0] as const;
const UPPER = [59, 23, 31, 12, 7] as const;
const FIELD_NAMES = ["minute", "hour", "day of month", "month", "day of week"] as const;

const ALIASES: Record<string, string> = {
  yearly: "H H H H *",
  annually: "H H H H *",
  monthly: "H H H * *",
  weekly: "H H * * H",
  daily: "H H * * *",
  midnight: "H H(0-2) * * *",
  hourly: "H * * * *",
};

export interface CronTab {
  line: string;
  /** allowed values per field; index = field */
  fields: ReadonlyArray<ReadonlySet<number>>;
}

export interface CronSchedule {
  timezone: string | undefined;
  tabs: CronTab[];
}

export class CronSyntaxError extends Error {}

type Hash = (n: number) => number;

function rangeCheck(value: number, field: number): void {
  if (value < LOWER[field]! || value > UPPER[field]!) {
    throw new CronSyntaxError(`${value} is an invalid value. Must be within ${LOWER[field]} and ${UPPER[field]} (${FIELD_NAMES[field]})`);
  }
}

function doRange(start: number, end: number, step: number, field: number, out: Set<number>): void {
  rangeCheck(start, field);
  rangeCheck(end, field);
  if (step <= 0) throw new CronSyntaxError(`step must be positive, but found ${step}`);
  if (start > end) throw new CronSyntaxError(`You mean ${end}-${start}? Range start must not be after its end`);
  for (let i = start; i <= end; i += step) out.add(i);
}

function doHash(start: number, end: number, step: number | undefined, field: number, hash: Hash, out: Set<number>): void {
  rangeCheck(start, field);
  rangeCheck(end, field);
  if (step === undefined) {
    // A bare H picks one value, it does not mean "every".
    out.add(start + hash(end + 1 - start));
    return;
  }
  if (step <= 0) throw new CronSyntaxError(`step must be positive, but found ${step}`);
  if (step > end - start + 1) throw new CronSyntaxError(`${step} is an invalid value. Must be within 1 and ${end - start + 1}`);
  for (let i = hash(step) + start; i <= end; i += step) out.add(i);
}

const TERM = /^(?:(\d+)-(\d+)(?:\/(\d+))?|(\d+)|\*(?:\/(\d+))?|H\((\d+)-(\d+)\)(?:\/(\d+))?|H(?:\/(\d+))?)$/;

function parseField(text: string, field: number, hash: Hash): Set<number> {
  const out = new Set<number>();
  for (const term of text.split(",")) {
    const m = TERM.exec(term);
    if (!m) throw new CronSyntaxError(`Invalid ${FIELD_NAMES[field]} term '${term}'`);
    const num = (s: string | undefined) => (s === undefined ? undefined : Number.parseInt(s, 10));
    if (m[1] !== undefined) doRange(num(m[1])!, num(m[2])!, num(m[3]) ?? 1, field, out);
    else if (m[4] !== undefined) {
      rangeCheck(num(m[4])!, field);
      out.add(num(m[4])!);
    } else if (term.startsWith("*")) doRange(LOWER[field]!, UPPER[field]!, num(m[5]) ?? 1, field, out);
    else if (m[6] !== undefined) doHash(num(m[6])!, num(m[7])!, num(m[8]), field, hash, out);
    else {
      // Day of month hashes into 1-28 (valid in every month); day of week into 0-6.
      const upper = field === 2 ? 28 : field === 4 ? 6 : UPPER[field]!;
      doHash(LOWER[field]!, upper, num(m[9]), field, hash, out);
    }
  }
  if (field === 4 && out.has(7)) {
    out.delete(7);
    out.add(0);
  }
  return out;
}

function parseLine(line: string, hash: Hash): CronTab {
  if (line.startsWith("@")) {
    const alias = ALIASES[line.slice(1)];
    if (!alias) throw new CronSyntaxError(`Unknown alias '${line}'`);
    return { line, fields: parseLine(alias, hash).fields };
  }
  const parts = line.split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(`Invalid input: "${line}": expected 5 fields, found ${parts.length}`);
  return { line, fields: parts.map((p, i) => parseField(p, i, hash)) };
}

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** CronTabList.create(spec, Hash.from(seed)); `seed` is the job's full name. */
export function parseCronSchedule(spec: string, seed: string): CronSchedule {
  const hash = jenkinsHash(seed);
  const tabs: CronTab[] = [];
  let timezone: string | undefined;
  spec.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (index === 0 && line.startsWith("TZ=")) {
      const tz = line.slice(3);
      if (!isValidTimezone(tz)) throw new CronSyntaxError(`Invalid or unsupported timezone '${tz}'`);
      timezone = tz;
      return;
    }
    if (line === "" || line.startsWith("#")) return;
    tabs.push(parseLine(line, hash));
  });
  return { timezone, tabs };
}

interface WallClock {
  minute: number;
  hour: number;
  dayOfMonth: number;
  month: number;
  dayOfWeek: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function wallClock(instant: Date, timezone: string | undefined): WallClock {
  const key = timezone ?? "";
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      minute: "numeric",
      hour: "numeric",
      day: "numeric",
      month: "numeric",
      weekday: "short",
    });
    formatters.set(key, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    dayOfMonth: Number(parts.day),
    month: Number(parts.month),
    dayOfWeek: WEEKDAYS.indexOf(parts.weekday ?? ""),
  };
}

/**
 * Whether the schedule fires in the minute containing `instant`. Like Jenkins,
 * each real minute is converted to wall-clock time in the spec's TZ (or the
 * process' zone), so a skipped DST hour never fires and a repeated one fires twice.
 */
export function cronMatches(schedule: CronSchedule, instant: Date): boolean {
  const w = wallClock(instant, schedule.timezone);
  const values = [w.minute, w.hour, w.dayOfMonth, w.month, w.dayOfWeek];
  return schedule.tabs.some((tab) => tab.fields.every((allowed, i) => allowed.has(values[i]!)));
}

/** The next minute strictly after `after` at which the schedule fires, searching at most `limitMinutes`. */
export function nextCronFire(schedule: CronSchedule, after: Date, limitMinutes = 60 * 24 * 366): Date | undefined {
  let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < limitMinutes; i++, t += 60_000) {
    if (cronMatches(schedule, new Date(t))) return new Date(t);
  }
  return undefined;
}
