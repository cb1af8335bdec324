import { Client } from "pg";
import { recordAudit } from "@/lib/audit/record";
import { DATA_VERSION_TRIGGER, NOT_CONTENT_TABLES, dataVersion } from "@/lib/db/data-version";
import { tickLease } from "@/lib/db/tick-lease";
import { freshDatabase, type TestDatabase } from "../../support/databases";
import { scheduleRow } from "../../support/schedule-row";

// The content version (lib/db/data-version.ts, migration data_version) on a real PostgreSQL: what
// moves it, what must not, and that every table the pages show carries its triggers.

describe("the content version on postgresql", () => {
  let t: TestDatabase;
  let sql: Client;
  beforeEach(async () => {
    t = await freshDatabase("postgresql");
    sql = new Client({ connectionString: t.url });
    await sql.connect();
  });
  afterEach(async () => {
    await sql.end();
    await t.drop();
  });

  it("should have the triggers on every table but the ledger and the tables no page shows", async () => {
    const { rows } = await sql.query<{ table: string; triggers: string[] }>(
      `SELECT c.relname AS table, array_remove(array_agg(tg.tgname::text ORDER BY tg.tgname), NULL) AS triggers
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_trigger tg ON tg.tgrelid = c.oid AND NOT tg.tgisinternal
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        GROUP BY c.relname`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const { table, triggers } of rows) {
      const expected = (NOT_CONTENT_TABLES as readonly string[]).includes(table)
        ? []
        : [DATA_VERSION_TRIGGER, `${DATA_VERSION_TRIGGER}_truncate`];
      expect({ table, triggers }).toEqual({ table, triggers: expected });
    }
    expect(rows.map((r) => r.table)).toEqual(expect.arrayContaining([...NOT_CONTENT_TABLES]));
  });

  it("should move at the commit of a change, from any connection, and not on reads or a rollback", async () => {
    const v0 = await dataVersion(t.url);
    await t.db.schedule.findMany();
    expect(await dataVersion(t.url)).toBe(v0);

    await sql.query("BEGIN");
    await sql.query(`UPDATE "Schedule" SET name = name`); // no rows yet: nothing changes
    await sql.query(
      `INSERT INTO "SandboxImageList" ("dbType", images, "updatedAt", "updatedByEmail") VALUES ('mysql', '[]', now(), 'a@b.c')`,
    );
    expect(await dataVersion(t.url)).toBe(v0); // not before the commit
    await sql.query("ROLLBACK");
    expect(await dataVersion(t.url)).toBe(v0);

    await t.db.schedule.create({ data: scheduleRow("alpha") });
    const v1 = await dataVersion(t.url);
    expect(v1).not.toBe(v0);
    await sql.query(`UPDATE "Schedule" SET "updatedByEmail" = 'bob@example.test'`);
    const v2 = await dataVersion(t.url);
    expect(v2).not.toBe(v1);
    await sql.query(`TRUNCATE "ScheduleIntent"`);
    expect(await dataVersion(t.url)).not.toBe(v2);
  });

  it("should stay put while the background rounds renew their leases and the audit trail grows", async () => {
    const lease = tickLease(t.db, "reconciler", { ttlMs: 60_000 });
    await lease.acquire();
    const before = await dataVersion(t.url);
    for (let round = 0; round < 3; round++) {
      expect(await lease.acquire()).toBe(true);
      await lease.markOk();
      await recordAudit(t.db, {
        actor: { email: "ann@example.test" },
        action: "auth.sign-in",
        target: "ann@example.test",
        outcome: "success",
        address: null,
      });
    }
    expect(await dataVersion(t.url)).toBe(before);
  });
});
