import path from "node:path";
import { migrate, readMigrations, type MigrateResult } from "./migrate";
import { databaseUrl, providerOf } from "./provider";
import { openSqlSession } from "./sessions";

export const MIGRATIONS_ROOT = path.resolve(process.cwd(), "prisma/migrations");

export async function migrateDatabase(url = databaseUrl(), root = MIGRATIONS_ROOT): Promise<MigrateResult> {
  const provider = providerOf(url);
  const session = await openSqlSession(url);
  try {
    return await migrate(session, provider, readMigrations(path.join(root, provider)));
  } finally {
    await session.close();
  }
}
