/**
 * Sample backups with known tables and row counts, made by the real dump tools.
 *
 *   const samples = await SampleFactory.create(dir);
 *   const tables = [{ name: "customers", rows: 12 }, { name: "orders", rows: 30 }];
 *   const dump = await samples.make("mysqldump", tables);      // mysqldump output (.sql)
 *   await samples.make("pg-plain", tables);                    // pg_dump -Fp
 *   await samples.make("pg-custom", tables);                   // pg_dump -Fc
 *   await samples.make("sqlite-db", tables);                   // SQLite database file
 *   await samples.make("sqlite-dump", tables);                 // sqlite3 .dump
 *   await samples.stop();                                      // stops the source servers
 *
 * MariaDB / PostgreSQL source servers start lazily on first use and are shared
 * by every sample of the factory. Each table has columns (id, label, amount),
 * an index, and rows whose labels contain quotes, tabs and newlines, so a
 * "read every row" that splits on newlines would miscount.
 *
 * File mutators for failure tests: gzipFile, truncateBytes, cutAtLastStatement
 * (a dump cut cleanly at a statement boundary), flipByte, writeFile helpers.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { startMariaDb, startPostgres, type MariaDbServer, type PostgresServer } from "./databases";
import { runOk } from "./process";

export interface SampleTable {
  name: string;
  rows: number;
}

export type SampleFormat = "mysqldump" | "pg-plain" | "pg-custom" | "sqlite-db" | "sqlite-dump";

type Dialect = "mysql" | "postgresql" | "sqlite";

function label(dialect: Dialect, i: number): string {
  const text = `row ${i} it''s`;
  if (i % 5 !== 0) return `'${text}'`;
  // Every fifth label holds a newline and a tab.
  if (dialect === "mysql") return `'${text}\\nsecond\\tline'`;
  if (dialect === "postgresql") return `E'${text}\\nsecond\\tline'`;
  return `'${text}' || char(10) || 'second' || char(9) || 'line'`;
}

/** SQL creating the tables with exactly `rows` rows each. */
export function sampleSql(dialect: Dialect, tables: readonly SampleTable[]): string {
  const parts: string[] = [];
  for (const table of tables) {
    parts.push(`CREATE TABLE ${table.name} (id integer PRIMARY KEY, label text NOT NULL, amount numeric(10,2));`);
    parts.push(`CREATE INDEX ${table.name}_label ON ${table.name} (${dialect === "mysql" ? "label(20)" : "label"});`);
    for (let start = 1; start <= table.rows; start += 500) {
      const values: string[] = [];
      for (let i = start; i < Math.min(start + 500, table.rows + 1); i++)
        values.push(`(${i}, ${label(dialect, i)}, ${(i * 1.25).toFixed(2)})`);
      parts.push(`INSERT INTO ${table.name} (id, label, amount) VALUES ${values.join(", ")};`);
    }
  }
  return parts.join("\n") + "\n";
}

export class SampleFactory {
  private maria?: Promise<MariaDbServer>;
  private postgres?: Promise<PostgresServer>;
  private counter = 0;

  private constructor(readonly dir: string) {}

  static async create(dir: string): Promise<SampleFactory> {
    await fs.mkdir(dir, { recursive: true });
    return new SampleFactory(dir);
  }

  async make(format: SampleFormat, tables: readonly SampleTable[], fileName?: string): Promise<string> {
    const n = ++this.counter;
    const out = path.join(this.dir, fileName ?? `sample-${n}.${format === "sqlite-db" ? "db" : format === "pg-custom" ? "dump" : "sql"}`);
    const db = `sample_${n}`;
    if (format === "mysqldump") {
      const maria = await (this.maria ??= startMariaDb());
      await maria.sql(`CREATE DATABASE ${db};`);
      if (tables.length) await maria.sql(sampleSql("mysql", tables), db);
      await runOk("mysqldump", [...maria.clientArgs, "--single-transaction", db], { stdoutFile: out });
      await maria.sql(`DROP DATABASE ${db};`);
    } else if (format === "pg-plain" || format === "pg-custom") {
      const pg = await (this.postgres ??= startPostgres());
      await pg.sql(`CREATE DATABASE ${db};`);
      if (tables.length) await pg.sql(sampleSql("postgresql", tables), db);
      await runOk(pg.bin("pg_dump"), [format === "pg-plain" ? "-Fp" : "-Fc", "-f", out, db], { env: pg.env });
      await pg.sql(`DROP DATABASE ${db};`);
    } else {
      const file = format === "sqlite-db" ? out : path.join(this.dir, `${db}.db`);
      await fs.rm(file, { force: true });
      await runOk("sqlite3", ["-bail", file], { input: `BEGIN;\n${sampleSql("sqlite", tables)}COMMIT;\n` });
      if (format === "sqlite-dump") {
        await runOk("sqlite3", [file, ".dump"], { stdoutFile: out });
        await fs.rm(file, { force: true });
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    const servers = await Promise.allSettled([this.maria, this.postgres].filter((s) => s !== undefined));
    for (const server of servers) if (server.status === "fulfilled") await server.value.stop();
  }
}

export async function gzipFile(input: string, output: string): Promise<void> {
  await runOk("gzip", ["-c", "-n", input], { stdoutFile: output });
}

export async function truncateBytes(file: string, keepBytes: number): Promise<void> {
  await fs.truncate(file, keepBytes);
}

/** Drop everything after the last complete statement that precedes the tool's trailer. */
export async function cutAtLastStatement(file: string, output: string, lastStatementStart: RegExp): Promise<void> {
  const lines = (await fs.readFile(file, "utf8")).split("\n");
  let cut = -1;
  lines.forEach((line, i) => {
    if (lastStatementStart.test(line)) cut = i;
  });
  if (cut < 0) throw new Error(`no line matching ${lastStatementStart} in ${file}`);
  await fs.writeFile(output, lines.slice(0, cut + 1).join("\n") + "\n");
}

export async function flipByte(file: string, offsetFromEnd: number): Promise<void> {
  const data = await fs.readFile(file);
  const index = data.length - offsetFromEnd;
  data[index] = (data[index] ?? 0) ^ 0xff;
  await fs.writeFile(file, data);
}
