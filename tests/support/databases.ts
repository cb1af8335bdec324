import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { createDb, type Db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate-database";
import type { DbProvider } from "@/lib/db/provider";

export const PROVIDERS: DbProvider[] = ["sqlite", "postgresql"];

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

function postgresServerUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set: run through jest's integration project (its globalSetup starts PostgreSQL)");
  return url;
}

/** An empty database of the given provider, migrated with the checked-in migrations. */
export async function freshDatabase(provider: DbProvider): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-test-sqlite-"));
    url = `file:${path.join(dir, "test.db")}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `rd_test_${randomBytes(6).toString("hex")}`;
    const admin = new Client({ connectionString: postgresServerUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(postgresServerUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new Client({ connectionString: postgresServerUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  await migrateDatabase(url);
  const db = createDb(url);
  return {
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await cleanup();
    },
  };
}
