// The one list of database types a restore test restores: the forms, the zod schemas, the
// results filter, the report schema, the Jenkins choice parameter and the scripts' validation
// (checked by tests/unit/pipeline/contract.test.ts) all follow it. Zod-free: browser code imports it.

export const DB_TYPES = ["mysql", "postgresql", "sqlite", "mongodb"] as const;
export type DbType = (typeof DB_TYPES)[number];

export const DB_TYPE_LABELS: Record<DbType, string> = {
  mysql: "MySQL / MariaDB (SQL dump)",
  postgresql: "PostgreSQL (plain or custom-format dump)",
  sqlite: "SQLite (database file or dump)",
  mongodb: "MongoDB (mongodump --archive, or a tar of a dump directory)",
};
