import path from "node:path";

export type DbProvider = "sqlite" | "postgresql";

export const DEFAULT_DATA_DIR = "data";

/** The embedded default: a SQLite file under DATA_DIR. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  // The data directory is chosen at run time; nothing under it belongs in the build trace.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR ?? DEFAULT_DATA_DIR);
  return `file:${path.join(dataDir, "restore-drill.db")}`;
}

export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:…"`);
}

/** Absolute path of the SQLite file named by a file: URL. */
export function sqliteFile(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}
