import Database from "better-sqlite3";
import { Client } from "pg";
import { PrismaClient as PostgresClient } from "../../lib/generated/prisma/postgresql/client";
import { PrismaClient as SqliteClient } from "../../lib/generated/prisma/sqlite/client";
import { adapterFor } from "../../lib/db/adapter";
import type { Db } from "../../lib/db/client";
import { providerOf, sqliteFile } from "../../lib/db/provider";

// What a page asks the database: its loaders are run in this process with Prisma's query log on,
// so the SQL is exactly what the app sends; each statement is then explained on the same data.

export interface CapturedQuery {
  sql: string;
  params: unknown[];
  /** Prisma's own duration for it in this process, ms */
  ms: number;
}

export interface ExplainedQuery extends CapturedQuery {
  plan: string[];
  /** median of 5 direct executions (SQLite) or EXPLAIN ANALYZE's execution time (PostgreSQL), ms */
  dbMs: number;
}

type QueryEvent = { query: string; params: string; duration: number };
type LoggingClient = { $on(event: "query", cb: (e: QueryEvent) => void): void; $disconnect(): Promise<void> };

export async function captureQueries(url: string, load: (db: Db) => Promise<unknown>): Promise<CapturedQuery[]> {
  const options = { adapter: adapterFor(url), log: [{ emit: "event" as const, level: "query" as const }] };
  const client = (providerOf(url) === "sqlite" ? new SqliteClient(options) : new PostgresClient(options)) as unknown as LoggingClient;
  const captured: CapturedQuery[] = [];
  client.$on("query", (e) => captured.push({ sql: e.query, params: JSON.parse(e.params) as unknown[], ms: e.duration }));
  try {
    await load(client as unknown as Db);
    return captured;
  } finally {
    await client.$disconnect();
  }
}

const bindable = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : v);

export async function explainQueries(url: string, queries: CapturedQuery[]): Promise<ExplainedQuery[]> {
  if (providerOf(url) === "sqlite") {
    const sqlite = new Database(sqliteFile(url), { readonly: true });
    try {
      return queries.map((q) => {
        const params = q.params.map(bindable);
        const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...params) as { id: number; parent: number; detail: string }[]).map(
          (r) => r.detail,
        );
        const stmt = sqlite.prepare(q.sql);
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          stmt.all(...params);
          times.push(performance.now() - t);
        }
        return { ...q, plan, dbMs: times.sort((a, b) => a - b)[2]! };
      });
    } finally {
      sqlite.close();
    }
  }
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const out: ExplainedQuery[] = [];
    for (const q of queries) {
      const result = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params);
      const plan = result.rows.map((r) => r["QUERY PLAN"]);
      const execution = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
      out.push({ ...q, plan, dbMs: execution ? Number(execution[1]) : NaN });
    }
    return out;
  } finally {
    await pg.end();
  }
}

/** The indexes a migration creates (to measure the queries without them afterwards). */
export function indexesCreatedBy(migrationSql: string): string[] {
  return [...migrationSql.matchAll(/CREATE (?:UNIQUE )?INDEX "([^"]+)"/g)].map((m) => m[1]!);
}

export async function dropIndexes(url: string, names: string[]): Promise<void> {
  const statements = names.map((n) => `DROP INDEX IF EXISTS "${n.replace(/"/g, '""')}"`);
  if (providerOf(url) === "sqlite") {
    const sqlite = new Database(sqliteFile(url));
    try {
      for (const sql of statements) sqlite.exec(sql);
    } finally {
      sqlite.close();
    }
    return;
  }
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    for (const sql of statements) await pg.query(sql);
  } finally {
    await pg.end();
  }
}
