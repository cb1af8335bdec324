"use client";

import { useEffect } from "react";

/**
 * Tells the server the browser's time zone (a cookie) and reloads once, so the dashboard's
 * times and Results links are in the user's zone. A zone the server refuses stays UTC: the
 * cookie already holding it stops a second refresh.
 */
export function TimeZoneSync({ current, cookieName }: { current: string; cookieName: string }) {
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === current) return;
    const stored = document.cookie.split("; ").find((c) => c.startsWith(`${cookieName}=`));
    if (stored && stored.slice(cookieName.length + 1) === zone) return;
    // Zone names (Area/City_Name, Etc/GMT+5) hold no character a cookie value must escape.
    if (!/^[A-Za-z0-9/_+-]{1,64}$/.test(zone)) return;
    document.cookie = `${cookieName}=${zone}; path=/; max-age=31536000; samesite=lax`;
    // A full reload, once: a router.refresh() issued while the page is still hydrating can be dropped.
    window.location.reload();
  }, [current, cookieName]);
  return null;
}
