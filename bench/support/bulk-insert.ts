import Database from "better-sqlite3";
import { Client } from "pg";
import { providerOf, sqliteFile } from "../../lib/db/provider";

// Bulk inserts for the scale seed: Prisma's createMany goes through its WebAssembly query
// compiler at a few hundred rows a second here, far too slow for 300,000 rows. Values are
// written in the encodings Prisma's adapters use, so the app reads them back as its own:
// SQLite DateTime = ISO-8601 text with "+00:00", BigInt/Boolean = integers; PostgreSQL
// timestamp(3) (UTC wall time), bigint, boolean, the Role enum from text.

export type Row = Record<string, string | number | boolean | bigint | Date | null>;

export interface BulkInserter {
  insert(table: string, rows: Row[]): Promise<void>;
  close(): Promise<void>;
}

const sqliteValue = (v: Row[string]) =>
  v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? (v ? 1 : 0) : v;
const pgValue = (v: Row[string]) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v);
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function openBulkInserter(url: string): Promise<BulkInserter> {
  if (providerOf(url) === "sqlite") {
    const db = new Database(sqliteFile(url));
    db.pragma("journal_mode = WAL");
    // A seed that dies half-way is thrown away anyway: no need to wait for the disk per commit.
    db.pragma("synchronous = OFF");
    return {
      async insert(table, rows) {
        if (rows.length === 0) return;
        const columns = Object.keys(rows[0]!);
        const stmt = db.prepare(
          `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        db.transaction(() => {
          for (const row of rows) stmt.run(...columns.map((c) => sqliteValue(row[c] ?? null)));
        })();
      },
      close: async () => {
        // Fold the WAL into the database now rather than during the page views.
        db.pragma("wal_checkpoint(TRUNCATE)");
        db.close();
      },
    };
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      // PostgreSQL takes at most 65535 parameters per statement.
      const perStatement = Math.floor(60_000 / columns.length);
      await client.query("BEGIN");
      try {
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          const params: unknown[] = [];
          const tuples = chunk.map(
            (row) => `(${columns.map((c) => (params.push(pgValue(row[c] ?? null)), `$${params.length}`)).join(", ")})`,
          );
          await client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${tuples.join(", ")}`, params);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    close: () => client.end(),
  };
}
