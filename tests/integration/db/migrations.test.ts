import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "@/lib/db/migrate-database";
import { openSqlSession } from "@/lib/db/sessions";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../../support/databases";

const tableNames = async (url: string, provider: string) => {
  const s = await openSqlSession(url);
  try {
    const sql =
      provider === "sqlite"
        ? `SELECT name FROM sqlite_master WHERE type = 'table'`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
    return (await s.query<{ name: string }>(sql, [])).map((r) => r.name);
  } finally {
    await s.close();
  }
};

describe.each(PROVIDERS)("migrations on %s", (provider) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(provider);
  });
  afterEach(() => t.drop());

  it("should create every model's table and record each migration once", async () => {
    expect(await tableNames(t.url, provider)).toEqual(
      expect.arrayContaining(["User", "AuditEvent", "SignInThrottle", "_prisma_migrations"]),
    );
    const again = await migrateDatabase(t.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
  });

  it("should refuse a migration edited after it was applied", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rd-mig-"));
    fs.cpSync(path.resolve("prisma/migrations"), root, { recursive: true });
    const [first] = fs
      .readdirSync(path.join(root, provider))
      .filter((n) => /^\d/.test(n))
      .sort();
    fs.appendFileSync(path.join(root, provider, first!, "migration.sql"), "\n-- edited\n");
    await expect(migrateDatabase(t.url, root)).rejects.toThrow(/edited after it was applied/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("should leave nothing behind when a migration fails halfway", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rd-mig-"));
    fs.cpSync(path.resolve("prisma/migrations"), root, { recursive: true });
    const bad = path.join(root, provider, "99990101000000_broken");
    fs.mkdirSync(bad);
    fs.writeFileSync(
      path.join(bad, "migration.sql"),
      `CREATE TABLE "HalfDone" ("id" INTEGER PRIMARY KEY);\nSELECT no_such_column FROM "NoSuchTable";\n`,
    );
    const outcome = await migrateDatabase(t.url, root).then(
      (r) => JSON.stringify(r),
      (e: Error) => `threw ${e.message}`,
    );
    expect(outcome).toMatch(/^threw /);
    expect(await tableNames(t.url, provider)).not.toContain("HalfDone");
    const s = await openSqlSession(t.url);
    const ledger = await s.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`, []);
    await s.close();
    expect(ledger.map((r) => r.migration_name)).not.toContain("99990101000000_broken");
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("the migrations and the schema", () => {
  it("should agree: prisma/schema.prisma has no change that lacks a migration", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rd-sync-"));
    // Compare on SQLite, where Prisma's diff needs no server.
    const write = (name: string, src: string) => {
      const file = path.join(scratch, name, "schema.prisma");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, src.replace(/provider\s*=\s*"postgresql"/, 'provider = "sqlite"'));
      return file;
    };
    const from = write("from", fs.readFileSync("prisma/migrations/migrated.prisma", "utf8"));
    const to = write("to", fs.readFileSync("prisma/schema.prisma", "utf8"));
    const run = () =>
      execFileSync(
        "node_modules/.bin/prisma",
        ["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--exit-code"],
        {
          env: {
            ...process.env,
            PRISMA_SCHEMA_FILE: to,
            DATABASE_URL: `file:${path.join(scratch, "x.db")}`,
            PRISMA_SCHEMA_ENGINE_BINARY: path.resolve("tools/db/no-engine"),
            PRISMA_QUERY_ENGINE_LIBRARY: path.resolve("tools/db/no-engine"),
            PRISMA_HIDE_UPDATE_MESSAGE: "1",
          },
          stdio: "pipe",
        },
      );
    // Exit code 2 means "not empty": a schema change without `npm run db:migration`.
    expect(run).not.toThrow();
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
