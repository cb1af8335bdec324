import { filtersQuery } from "@/lib/shared/filter-params";
import { isTimeZone } from "@/lib/validation/schedule";

// How the dashboard shows times and links: in the user's time zone, which the browser reports
// once in a cookie (the server cannot know it; until then, and without JavaScript, UTC).

export { TIME_ZONE_COOKIE } from "@/lib/shared/time-zone-cookie";

export function zoneFromCookie(value: string | undefined): string {
  let zone = value ?? "";
  try {
    zone = decodeURIComponent(zone);
  } catch {
    return "UTC";
  }
  return zone && zone.length <= 64 && isTimeZone(zone) ? zone : "UTC";
}

const formatters = new Map<string, { day: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = {
      day: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }),
      time: new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}

/** "2026-03-08" in the zone: the calendar day the Results filters take. */
export function dayInZone(at: Date, timeZone: string): string {
  return formattersFor(timeZone).day.format(at);
}

/** "2026-03-08 14:05" in the zone, as the Results page writes times. */
export function timeInZone(at: Date, timeZone: string): string {
  return formattersFor(timeZone).time.format(at).replace(",", "");
}

/**
 * The Results page for the runs of a window (and verdict). Its filters take whole days, so the
 * link covers the days the window touches: [day of `since`, day of `now`] in the zone.
 */
export function resultsHref(window: { since: Date; now: Date }, timeZone: string, status?: string): string {
  return `/results?${filtersQuery({ from: dayInZone(window.since, timeZone), to: dayInZone(window.now, timeZone), tz: timeZone, status })}`;
}
