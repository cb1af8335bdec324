// Real sample backups for the demo and the browser tests: the tables are loaded into a
// throw-away MariaDB or PostgreSQL server and dumped with the engine's own dump tool, so the
// restore jobs see exactly what a production mysqldump / pg_dump would give them.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asSandboxUser, isRoot, run, runOk, spawnDetached, stopPid, waitFor } from "./process";

export interface SampleTable {
  name: string;
  rows: number;
}

/** The demo's shop: known tables and row counts, shown on the run page after a restore. */
export const DEMO_TABLES: readonly SampleTable[] = [
  { name: "customers", rows: 250 },
  { name: "orders", rows: 1200 },
  { name: "order_lines", rows: 3600 },
];

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** Plain SQL both engines accept; labels carry a quote so a naive reader would miscount. */
function tableSql(tables: readonly SampleTable[]): string {
  const parts: string[] = [];
  for (const table of tables) {
    if (!NAME.test(table.name)) throw new Error(`sample table name ${table.name} is not a plain identifier`);
    parts.push(`CREATE TABLE ${table.name} (id integer PRIMARY KEY, label text NOT NULL, amount numeric(10,2));`);
    for (let start = 1; start <= table.rows; start += 500) {
      const values: string[] = [];
      for (let i = start; i < Math.min(start + 500, table.rows + 1); i++)
        values.push(`(${i}, '${table.name} ${i} it''s', ${(i * 1.25).toFixed(2)})`);
      parts.push(`INSERT INTO ${table.name} (id, label, amount) VALUES ${values.join(", ")};`);
    }
  }
  return parts.join("\n") + "\n";
}

async function scratchDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.chmod(dir, 0o755);
  if (isRoot()) await runOk("chown", ["nobody:", dir]);
  return dir;
}

/** mysqldump of `tables` in database `shop`, written to `out`. */
export async function makeMariaDbDump(tables: readonly SampleTable[], out: string): Promise<void> {
  const dir = await scratchDir("rd-demo-maria-");
  const data = path.join(dir, "data");
  const socket = path.join(dir, "mysqld.sock");
  const asUser = await asSandboxUser();
  let pid: number | undefined;
  try {
    const install = [
      ...asUser,
      "mariadb-install-db",
      "--no-defaults",
      `--datadir=${data}`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ];
    await runOk(install[0] as string, install.slice(1));
    pid = await spawnDetached(
      [...asUser, "/usr/sbin/mariadbd", "--no-defaults", `--datadir=${data}`, `--socket=${socket}`, "--skip-networking", "--skip-log-bin"],
      path.join(dir, "server.log"),
    );
    const client = ["--no-defaults", "-S", socket, "-uroot"];
    await waitFor(async () => (await run("mysqladmin", [...client, "ping"])).code === 0, 30_000, "the sample MariaDB server");
    await runOk("mysql", [...client], { input: `CREATE DATABASE shop;\nUSE shop;\n${tableSql(tables)}` });
    await runOk("mysqldump", [...client, "--single-transaction", "shop"], { stdoutFile: out });
  } finally {
    if (pid) await stopPid(pid, "SIGTERM");
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

async function postgresBin(): Promise<string> {
  const versions = (await fs.readdir("/usr/lib/postgresql")).sort((a, b) => Number(a) - Number(b));
  if (!versions.length) throw new Error("PostgreSQL is not installed under /usr/lib/postgresql");
  return path.join("/usr/lib/postgresql", versions.at(-1) as string, "bin");
}

/** Plain-format pg_dump of `tables` in database `shop`, written to `out`. */
export async function makePostgresDump(tables: readonly SampleTable[], out: string): Promise<void> {
  const dir = await scratchDir("rd-demo-pg-");
  const data = path.join(dir, "data");
  const bin = await postgresBin();
  const asUser = await asSandboxUser();
  const env = { ...process.env, PGHOST: dir, PGPORT: "5432", PGUSER: "postgres" };
  let pid: number | undefined;
  try {
    const initdb = [
      ...asUser,
      path.join(bin, "initdb"),
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--no-sync",
      "-E",
      "UTF8",
      "--locale=C",
    ];
    await runOk(initdb[0] as string, initdb.slice(1));
    pid = await spawnDetached(
      [...asUser, path.join(bin, "postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off"],
      path.join(dir, "server.log"),
    );
    await waitFor(async () => (await run(path.join(bin, "pg_isready"), [], { env })).code === 0, 30_000, "the sample PostgreSQL server");
    await runOk(path.join(bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", "CREATE DATABASE shop"], { env });
    await runOk(path.join(bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "shop"], { env, input: tableSql(tables) });
    await runOk(path.join(bin, "pg_dump"), ["-Fp", "-f", out, "shop"], { env });
  } finally {
    if (pid) await stopPid(pid, "SIGINT");
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
