import { Pool } from "pg";

/**
 * The database's content version: a PostgreSQL sequence that every committed change of a table the
 * portal's pages show moves, whichever process or replica made it (triggers of migration
 * 20261205120000_data_version, deferred to the commit). While it is unchanged, a page or a read
 * made earlier is still the database's answer: the shared reads (shared-read.ts) and the page cache
 * (lib/http/page-cache) rely on it.
 *
 * Not the WAL position, which every write moves: the background rounds renew their lease rows every
 * round and each API call writes an audit event, so nothing kept would outlive 10 s. The tables
 * below have no triggers because no kept page or shared read shows them. A table added later needs
 * the triggers in its own migration, or a place in this list if nothing kept shows it
 * (tests/integration/db/data-version.test.ts holds every table to one or the other).
 *
 * One exception, bounded by the callers' maximum ages: the sequence moves at the commit, a moment
 * before the change is visible, so a read in that moment may be kept under the new version.
 */
export const NOT_CONTENT_TABLES = ["TickLease", "AuditEvent", "ApiToken", "SignInThrottle"] as const;
export const DATA_VERSION_SEQUENCE = "restore_drill_data_version";
export const DATA_VERSION_TRIGGER = "restore_drill_data_version";

// Read on a small pool of its own, not through Prisma: Prisma plans even a raw query in its
// WebAssembly compiler, ~1–3 ms of CPU, and this runs on every page view.
const pools = new Map<string, Pool>();

/** The content version of the PostgreSQL database at url; rejects when it cannot be read. */
export async function dataVersion(url: string): Promise<string> {
  let pool = pools.get(url);
  if (!pool) {
    pool = new Pool({ connectionString: url, max: 2, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle connection the server ended (restart, dropped test database) is replaced on next use.
    pool.on("error", () => {});
    pools.set(url, pool);
  }
  // is_called too: the first nextval leaves last_value at its start and sets only is_called.
  const { rows } = await pool.query<{ v: string }>(
    `SELECT last_value::text || ':' || is_called::text AS v FROM "${DATA_VERSION_SEQUENCE}"`,
  );
  return rows[0]!.v;
}
