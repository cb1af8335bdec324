import { PrismaClient as SqliteClient } from "@/lib/generated/prisma/sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/generated/prisma/postgresql/client";
import { adapterFor } from "./adapter";
import { databaseUrl, providerOf, type DbProvider } from "./provider";

/**
 * The portal's one Prisma client. Both providers are generated from the same datamodel, so
 * their APIs agree; the app is typed against the SQLite client, the smaller of the two, which
 * keeps PostgreSQL-only query features out of code that must run on both.
 */
export type Db = SqliteClient;

const connections = new WeakMap<object, { provider: DbProvider; url: string }>();

export function createDb(url: string): Db {
  const adapter = adapterFor(url);
  const provider = providerOf(url);
  const client = provider === "sqlite" ? new SqliteClient({ adapter }) : (new PostgresClient({ adapter }) as unknown as Db);
  connections.set(client, { provider, url });
  return client;
}

const globalForDb = globalThis as unknown as { restoreDrillDb?: Db };

function processDb(): Db {
  // One client per process, also across Next.js dev hot reloads.
  return (globalForDb.restoreDrillDb ??= createDb(databaseUrl()));
}

/**
 * The process's client, made on first use rather than at import: DATABASE_URL is read when the
 * database is first needed, so importing a module that uses it (a build step, a test that sets
 * DATABASE_URL first) opens nothing.
 */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = processDb();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** Which database a client talks to (the process's `db` included). */
export function connectionOf(client: Db): { provider: DbProvider; url: string } | undefined {
  // The process's client may have been made by another bundle's copy of this module (proxy.ts and
  // the pages are bundled apart), whose map this is not: its URL is the environment's.
  if (client === db) {
    const url = databaseUrl();
    return { provider: providerOf(url), url };
  }
  return connections.get(client);
}
