// Filter forms read from the query string (results, audit, statistics): how a parse ends, and
// the filters written back as a query for links and exports.

export type FilterParse<T> = { ok: true; filters: T } | { ok: false; errors: Record<string, string[]> };

/** The filters as query parameters (for links and the export); the page cursor is left out. */
export function filtersQuery(
  filters: Partial<Record<string, string | undefined>>,
  omit: readonly string[] = ["after", "before"],
): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value && !omit.includes(key)) query.set(key, value);
  return query;
}
