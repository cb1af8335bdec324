/**
 * Real throw-away MariaDB and PostgreSQL servers for tests.
 *
 *   const maria = await startMariaDb();      // unix socket only, root without password
 *   await maria.sql("CREATE DATABASE x")     // runs SQL through the mysql client
 *   maria.clientArgs                         // ["--no-defaults", "-S", socket, "-uroot"] for mysql/mysqldump
 *   await maria.stop()
 *
 *   const pg = await startPostgres();         // unix socket only, trust auth, user postgres
 *   await pg.sql("CREATE DATABASE x", "postgres")
 *   pg.env                                    // PGHOST/PGPORT/PGUSER for psql, pg_dump, pg_restore
 *   pg.bin("pg_dump")                         // absolute path of a PostgreSQL binary
 *   await pg.stop()
 *
 * Both run as `nobody` when the tests run as root (the servers refuse or
 * should not run as root) and live in a fresh temp dir removed by stop().
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { spawnDetached, stopPid } from "../../../tools/demo/process";
import { dropPrivilegesPrefix, isRoot, makeTempDir, removeDir, run, runOk, waitFor } from "./process";

export interface MariaDbServer {
  dir: string;
  socket: string;
  clientArgs: string[];
  sql(statements: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresServer {
  dir: string;
  env: NodeJS.ProcessEnv;
  bin(name: string): string;
  sql(statements: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

async function chownToSandboxUser(dir: string): Promise<void> {
  if (isRoot()) await runOk("chown", ["nobody:", dir]);
}

export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = await makeTempDir("rd-maria");
  try {
    return await startMariaDbIn(dir);
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

async function startMariaDbIn(dir: string): Promise<MariaDbServer> {
  const data = path.join(dir, "data");
  const socket = path.join(dir, "mysqld.sock");
  await chownToSandboxUser(dir);
  const asUser = await dropPrivilegesPrefix();
  const installDb = [
    ...asUser,
    "mariadb-install-db",
    "--no-defaults",
    `--datadir=${data}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ];
  await runOk(installDb[0] as string, installDb.slice(1));
  const pid: number = await spawnDetached(
    [...asUser, "/usr/sbin/mariadbd", "--no-defaults", `--datadir=${data}`, `--socket=${socket}`, "--skip-networking", "--skip-log-bin"],
    path.join(dir, "server.log"),
  );
  const clientArgs = ["--no-defaults", "-S", socket, "-uroot"];
  try {
    await waitFor(async () => (await run("mysqladmin", [...clientArgs, "ping"])).code === 0, 30_000, "MariaDB to accept connections");
  } catch (error) {
    await stopPid(pid, "SIGKILL");
    throw error;
  }
  return {
    dir,
    socket,
    clientArgs,
    async sql(statements, database) {
      return (await runOk("mysql", [...clientArgs, "-N", "-B", ...(database ? [database] : [])], { input: statements })).stdout;
    },
    async stop() {
      await stopPid(pid, "SIGTERM");
      await removeDir(dir);
    },
  };
}

async function postgresBinDir(): Promise<string> {
  const versions = (await fs.readdir("/usr/lib/postgresql")).sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error("PostgreSQL is not installed under /usr/lib/postgresql");
  return path.join("/usr/lib/postgresql", newest, "bin");
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = await makeTempDir("rd-pg");
  try {
    return await startPostgresIn(dir);
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

async function startPostgresIn(dir: string): Promise<PostgresServer> {
  const data = path.join(dir, "data");
  await chownToSandboxUser(dir);
  const asUser = await dropPrivilegesPrefix();
  const binDir = await postgresBinDir();
  const bin = (name: string) => path.join(binDir, name);
  const initdb = [...asUser, bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"];
  await runOk(initdb[0] as string, initdb.slice(1));
  const pid = await spawnDetached(
    [...asUser, bin("postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off"],
    path.join(dir, "server.log"),
  );
  const env = { ...process.env, PGHOST: dir, PGPORT: "5432", PGUSER: "postgres" };
  try {
    await waitFor(async () => (await run(bin("pg_isready"), [], { env })).code === 0, 30_000, "PostgreSQL to accept connections");
  } catch (error) {
    await stopPid(pid, "SIGKILL");
    throw error;
  }
  return {
    dir,
    env,
    bin,
    async sql(statements, database = "postgres") {
      return (await runOk(bin("psql"), ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database], { env, input: statements })).stdout;
    },
    async stop() {
      await stopPid(pid, "SIGINT");
      await removeDir(dir);
    },
  };
}
