// Intl formatters, made once and kept. Making one costs far more than using it (a date-time
// formatter with a time zone: ~0.5 ms; `n.toLocaleString("en")` makes a number formatter on
// every call), and the portal's tables format hundreds of values per page: under 50 users this
// was a large share of the portal's CPU (issue #18, bench/results/portal-load.md). Output is
// exactly what the uncached calls give. No server-only imports: client components use it too.

/** Distinct formatters kept; a time zone comes from a request, so the map is bounded. */
const MAX_KEPT = 500;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** `new Intl.DateTimeFormat(locale, options)`, shared; throws as that does (e.g. an unknown time zone). */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    if (dateFormats.size >= MAX_KEPT) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
}

const english = new Intl.NumberFormat("en");

/** 1234567 → "1,234,567": the same as `n.toLocaleString("en")`. */
export const formatNumber = (n: number): string => english.format(n);
