import { TIME_ZONE_COOKIE } from "@/lib/shared/time-zone-cookie";

// The browser's time zone, told to the server in a cookie (lib/shared/time-zone-cookie.ts).

/** Stores the browser's zone in the cookie; returns it when the cookie changed, else null. */
export function rememberBrowserTimeZone(): string | null {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Zone names (Area/City_Name, Etc/GMT+5) hold no character a cookie value must escape.
  if (!zone || !/^[A-Za-z0-9/_+-]{1,64}$/.test(zone)) return null;
  const stored = document.cookie.split("; ").find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`));
  if (stored && stored.slice(TIME_ZONE_COOKIE.length + 1) === zone) return null;
  document.cookie = `${TIME_ZONE_COOKIE}=${zone}; path=/; max-age=31536000; samesite=lax`;
  return zone;
}
