"use client";

import { useEffect } from "react";
import { rememberBrowserTimeZone } from "@/components/time-zone-cookie";

/**
 * The sign-in form already stored the browser's time zone; when the browser's zone differs from
 * the one the page was rendered in (moved, or signed in elsewhere), store it and reload once. A
 * zone the server refuses stays UTC: the cookie already holding it stops a second reload.
 */
export function TimeZoneSync({ current }: { current: string }) {
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone === current) return;
    // A full reload: a router.refresh() issued while the page is still hydrating can be dropped.
    if (rememberBrowserTimeZone()) window.location.reload();
  }, [current]);
  return null;
}
