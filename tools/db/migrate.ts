// npm run db:migrate — applies the checked-in migrations to DATABASE_URL (default: the embedded SQLite file).
import { migrateDatabase } from "../../lib/db/migrate-database";
import { databaseUrl, providerOf } from "../../lib/db/provider";

migrateDatabase()
  .then((r) => {
    const where = providerOf(databaseUrl()) === "sqlite" ? databaseUrl() : "PostgreSQL (DATABASE_URL)";
    console.log(`migrations: ${r.applied.length} applied, ${r.alreadyApplied.length} already applied — ${where}`);
  })
  .catch((e: unknown) => {
    console.error(`migration failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
