import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import type { SqlSession } from "./migrate";
import { providerOf, sqliteFile } from "./provider";

/** A raw SQL session for migrations: the Prisma client is not used so that migrations can create its tables. */
export async function openSqlSession(url: string): Promise<SqlSession & { close(): Promise<void> }> {
  if (providerOf(url) === "sqlite") {
    const file = sqliteFile(url);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    return {
      exec: async (sql) => void db.exec(sql),
      query: async <T>(sql: string, params: unknown[]) => {
        const stmt = db.prepare(sql);
        return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
      },
      transaction: async (fn) => {
        db.exec("BEGIN IMMEDIATE");
        try {
          await fn();
          db.exec("COMMIT");
        } catch (e) {
          db.exec("ROLLBACK");
          throw e;
        }
      },
      close: async () => {
        db.close();
      },
    };
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
    transaction: async (fn) => {
      await client.query("BEGIN");
      try {
        await fn();
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    },
    close: () => client.end(),
  };
}
