import fs from "node:fs";
import path from "node:path";
import type { DbProvider } from "../../lib/db/provider";

export const ROOT = path.resolve(__dirname, "../..");
export const SOURCE_SCHEMA = path.join(ROOT, "prisma/schema.prisma");
export const PROVIDERS: DbProvider[] = ["sqlite", "postgresql"];

export const generatedDir = (p: DbProvider) => path.join(ROOT, "lib/generated/prisma", p);
export const migrationsDir = (p: DbProvider) => path.join(ROOT, "prisma/migrations", p);
/** The datamodel as of the newest migration: what the next migration is diffed from. */
export const MIGRATED_DATAMODEL = path.join(ROOT, "prisma/migrations/migrated.prisma");

/**
 * prisma/schema.prisma is written once for PostgreSQL; SQLite differs only in the
 * datasource provider, and each provider gets its own generated client.
 */
export function schemaFor(provider: DbProvider, source = fs.readFileSync(SOURCE_SCHEMA, "utf8")): string {
  const withProvider = source.replace(/provider\s*=\s*"postgresql"/, `provider = "${provider}"`);
  return withProvider.replace(/engineType\s*=\s*"client"/, `engineType = "client"\n  output     = "./client"`);
}

export function writeProviderSchema(provider: DbProvider, source?: string, dir = generatedDir(provider)): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "schema.prisma");
  fs.writeFileSync(file, schemaFor(provider, source));
  return file;
}
