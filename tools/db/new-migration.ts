// npm run db:migration -- <name>
// Writes prisma/migrations/<provider>/<timestamp>_<name>/migration.sql for both providers,
// diffing prisma/schema.prisma against the datamodel of the newest migration
// (prisma/migrations/migrated.prisma). `migrate dev` cannot run offline, `migrate diff` can,
// but for PostgreSQL the JS engine connects even to diff: it uses MIGRATION_POSTGRES_URL, or
// starts a scratch server with tools/postgres.sh.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { MIGRATED_DATAMODEL, PROVIDERS, SOURCE_SCHEMA, migrationsDir, writeProviderSchema } from "./schemas";
import { prisma } from "./prisma-cli";

const name = z
  .string()
  .regex(/^[a-z0-9_]{1,60}$/, "migration name: lower-case letters, digits and underscores")
  .parse(process.argv[2]);

function withPostgres<T>(fn: (url: string) => T): T {
  if (process.env.MIGRATION_POSTGRES_URL) return fn(process.env.MIGRATION_POSTGRES_URL);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-migration-pg-"));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const url = execFileSync("tools/postgres.sh", ["start", dir, port], { encoding: "utf8" }).trim();
  try {
    return fn(url);
  } finally {
    execFileSync("tools/postgres.sh", ["stop", dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rd-migration-"));
let written = 0;
try {
  for (const provider of PROVIDERS) {
    const to = writeProviderSchema(provider, undefined, path.join(scratch, provider, "to"));
    const fromArgs = fs.existsSync(MIGRATED_DATAMODEL)
      ? [
          "--from-schema-datamodel",
          writeProviderSchema(provider, fs.readFileSync(MIGRATED_DATAMODEL, "utf8"), path.join(scratch, provider, "from")),
        ]
      : ["--from-empty"];
    const diff = (url?: string) =>
      prisma(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"], { schema: to, provider, url });
    const sql = provider === "postgresql" ? withPostgres(diff) : diff();
    if (!/^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|PRAGMA|--\s*(Create|Alter|Drop|Redefine|Add|Rename))/m.test(sql)) {
      console.log(`${provider}: schema unchanged, nothing to write`);
      continue;
    }
    const dir = path.join(migrationsDir(provider), `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
    written++;
  }
  if (written > 0) fs.copyFileSync(SOURCE_SCHEMA, MIGRATED_DATAMODEL);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
