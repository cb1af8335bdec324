import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import type { DbProvider } from "../../lib/db/provider";

// A fresh, empty database per provider: a SQLite file in a temp dir, or a new database on
// TEST_POSTGRES_URL / a throwaway PostgreSQL started with tools/postgres.sh (as tests do).

export interface BenchDatabase {
  provider: DbProvider;
  url: string;
  /** e.g. "PostgreSQL 15.8 (throwaway, fsync=off)" */
  server: string;
  drop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function benchDatabase(provider: DbProvider, repo: string): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rd-scale-${provider}-`));
  if (provider === "sqlite") {
    const sqliteVersion = execFileSync(
      "node",
      ["-e", "console.log(require('better-sqlite3')(':memory:').prepare('select sqlite_version() v').get().v)"],
      { cwd: repo, encoding: "utf8" },
    ).trim();
    return {
      provider,
      url: `file:${path.join(dir, "restore-drill.db")}`,
      server: `SQLite ${sqliteVersion} (better-sqlite3, WAL)`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  let serverUrl = process.env.TEST_POSTGRES_URL;
  let stopServer = async () => {};
  let note = "TEST_POSTGRES_URL";
  if (!serverUrl) {
    serverUrl = execFileSync(path.join(repo, "tools/postgres.sh"), ["start", dir, String(await freePort())], { encoding: "utf8" }).trim();
    stopServer = async () => void execFileSync(path.join(repo, "tools/postgres.sh"), ["stop", dir]);
    note = "throwaway via tools/postgres.sh, fsync=off";
  }
  const name = `rd_scale_${randomBytes(5).toString("hex")}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const version = String((await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    server: `PostgreSQL ${version} (${note})`,
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopServer();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
