"use client";

import { useEffect, useRef } from "react";

/**
 * Hidden `tz` field: dates in the filters are days in the browser's own time zone. The server
 * can't know it, so the browser fills it in (until it does, or without JavaScript, UTC applies).
 */
export function TimeZoneInput({ current }: { current: string | undefined }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!current && ref.current) ref.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }, [current]);
  return <input ref={ref} type="hidden" name="tz" defaultValue={current ?? "UTC"} />;
}
