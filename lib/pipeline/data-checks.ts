// The grammar of a schedule's data checks (issue 14 items 2 and 3): the freshness query and the
// row-count assertions. Zod-free, so the forms may import it; ./schemas.ts wraps these rules in
// the parameters' schemas, and scripts/lib/data-checks.sh applies the same rules again in the
// pipeline (a build started by hand in Jenkins never passed the form).
//
// Both values travel as one line (newlines folded here), so that the schedule's Jenkins job, its
// JJB export and the build parameter carry exactly the text the form showed after saving.

export const FRESHNESS_QUERY_MAX = 2000;
export const ASSERTIONS_MAX = 2000;
export const ASSERTIONS_MAX_COUNT = 50;

/** Words that write, lock or call out; a freshness query is one plain SELECT. Checked outside '…' literals. */
const FORBIDDEN_WORDS = [
  "INSERT",
  "UPDATE",
  "DELETE",
  "MERGE",
  "UPSERT",
  "DROP",
  "ALTER",
  "CREATE",
  "TRUNCATE",
  "GRANT",
  "REVOKE",
  "INTO",
  "LOCK",
  "CALL",
  "EXEC",
  "EXECUTE",
  "COPY",
  "ATTACH",
  "DETACH",
  "PRAGMA",
  "VACUUM",
  "SET",
  "LOAD",
  "OUTFILE",
  "DUMPFILE",
] as const;

/** Folds every run of white space (newlines included) into one space and trims; drops one trailing ";". */
export function normaliseFreshnessQuery(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/\s*;$/, "");
}

/**
 * Why a (normalised) freshness query is refused, or null when it is one read-only SELECT. The
 * sandbox runs it read-only anyway (read-only transaction, a reader without write rights,
 * sqlite3 -readonly -safe); refusing here gives the user a clear sentence first.
 */
export function freshnessQueryProblem(query: string): string | null {
  if (query === "") return null;
  if (query.length > FRESHNESS_QUERY_MAX) return `Keep the freshness query under ${FRESHNESS_QUERY_MAX} characters`;
  if (/[\u0000-\u001f\u007f]/.test(query)) return "The freshness query may not contain control characters";
  if (query.includes(";")) return "One statement only: the freshness query may not contain ;";
  if (/--|\/\*|\*\/|#/.test(query))
    return "Comments (--, /* */, #) are not allowed in the freshness query: they can hide a second statement";
  if (/[\\$`{}]/.test(query)) return "The freshness query may not contain \\ $ ` { or }";
  if (!/^select\s/i.test(query)) return "The freshness query must be one SELECT, e.g. SELECT max(created_at) FROM orders";
  const outsideLiterals = query.replace(/'[^']*'/g, " 0 ");
  if (outsideLiterals.includes("'")) return "The freshness query has an unclosed ' quote";
  const bad = FORBIDDEN_WORDS.find((w) => new RegExp(`\\b${w}\\b`, "i").test(outsideLiterals));
  if (bad) return `Only a read-only SELECT is allowed: ${bad} is not`;
  return null;
}

export type AssertionOperator = ">=" | ">" | "=";

export interface Assertion {
  /** As written (normalised spacing), e.g. "orders >= 1000". */
  text: string;
  /** "orders" or "public.orders". */
  table: string;
  /** Absent: the table must exist. */
  operator?: AssertionOperator;
  count?: number;
}

const IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
const ASSERTION = new RegExp(`^(${IDENTIFIER}(?:\\.${IDENTIFIER})?)(?:\\s*(>=|>|=)\\s*([0-9]{1,12}))?$`);

/** The assertions one per line or separated by commas; blank items are ignored. */
const itemsOf = (text: string) =>
  text
    .split(/[\n\r,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Parses assertions; `error` names the first item that is not `table` or `table >= N` (or > N, = N). */
export function parseAssertions(text: string): { assertions: Assertion[] } | { error: string } {
  const items = itemsOf(text);
  if (items.length > ASSERTIONS_MAX_COUNT) return { error: `At most ${ASSERTIONS_MAX_COUNT} assertions` };
  const assertions: Assertion[] = [];
  for (const item of items) {
    const m = ASSERTION.exec(item);
    if (!m) {
      const shown = item.length > 40 ? `${item.slice(0, 40)}…` : item;
      return { error: `"${shown}" is not an assertion: write a table name, or a table and a minimum such as orders >= 1000` };
    }
    const [, table, operator, count] = m;
    assertions.push(
      operator
        ? { text: `${table} ${operator} ${Number(count)}`, table: table!, operator: operator as AssertionOperator, count: Number(count) }
        : { text: table!, table: table! },
    );
  }
  return { assertions };
}

/** The assertions as the one line the job carries: "orders >= 1000, customers". */
export function normaliseAssertions(text: string): string {
  const parsed = parseAssertions(text);
  return "assertions" in parsed ? parsed.assertions.map((a) => a.text).join(", ") : text.trim();
}
