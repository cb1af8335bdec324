// The browser's time zone, told to the server in a cookie: the server cannot know it, and pages
// that show times (the dashboard) read it. Written at sign-in (components/time-zone-cookie.ts)
// and checked again on the dashboard.

export const TIME_ZONE_COOKIE = "restore-drill-tz";
