import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { providerOf, sqliteFile } from "./provider";

/** The driver adapter for a DATABASE_URL: Prisma runs without native engines (tools/db/README.md). */
export function adapterFor(url: string) {
  return providerOf(url) === "sqlite"
    ? new PrismaBetterSQLite3({ url: `file:${sqliteFile(url)}` })
    : new PrismaPg({ connectionString: url });
}
