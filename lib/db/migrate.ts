import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DbProvider } from "./provider";

/**
 * Applies prisma/migrations/<provider>/* in order, each in its own transaction, and records
 * them in Prisma's own `_prisma_migrations` table (same columns and checksum), so
 * `prisma migrate status` agrees with it.
 *
 * Why not `prisma migrate deploy`: offline, Prisma can only migrate through its JS schema
 * engine and driver adapters, and that path fails on PostgreSQL ("Column type 'name' could
 * not be deserialized", prisma/orm#27403). One runner for both providers keeps one behaviour.
 */
export interface SqlSession {
  /** Runs statements that return nothing (may contain several statements). */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  transaction(fn: () => Promise<void>): Promise<void>;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const LEDGER: Record<DbProvider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function migrate(session: SqlSession, provider: DbProvider, migrations: MigrationFile[]): Promise<MigrateResult> {
  await session.exec(LEDGER[provider]);
  const p = (i: number) => (provider === "postgresql" ? `$${i}` : "?");
  const done = await session.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    [],
  );
  const doneByName = new Map(done.map((r) => [r.migration_name, r.checksum]));
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    const recorded = doneByName.get(m.name);
    if (recorded !== undefined) {
      if (recorded !== m.checksum) throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs)`);
      result.alreadyApplied.push(m.name);
      continue;
    }
    await session.transaction(async () => {
      await session.exec(m.sql);
      await session.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
        [randomUUID(), m.checksum, m.name],
      );
    });
    result.applied.push(m.name);
  }
  return result;
}
