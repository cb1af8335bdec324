import { createDb } from "@/lib/db/client";
import { MAX_AGE_MS, sharedRead } from "@/lib/db/shared-read";
import { freshDatabase, type TestDatabase } from "../../support/databases";
import { scheduleRow } from "../../support/schedule-row";

// Reads shared by all requests while the database is unchanged (lib/db/shared-read.ts), on a real
// PostgreSQL: the loader counts how often it really read, and writes come from this client, from
// a second client (another replica, a script) and none at all.

describe("sharedRead on postgresql", () => {
  let t: TestDatabase;
  let loads: number;
  let clock: number;
  const names = (key = "names") =>
    sharedRead(
      t.db,
      key,
      async () => {
        loads++;
        return (await t.db.schedule.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((s) => s.name);
      },
      () => clock,
    );

  beforeEach(async () => {
    t = await freshDatabase("postgresql");
    loads = 0;
    clock = 1_000_000;
  });
  afterEach(() => t.drop());

  it("should answer from one read while nothing is written, and read again after this process writes", async () => {
    await t.db.schedule.create({ data: scheduleRow("alpha") });
    const first = await names();
    expect(first).toEqual(["alpha"]);
    expect(await names()).toBe(first);
    expect(loads).toBe(1);

    await t.db.schedule.create({ data: scheduleRow("bravo") });
    expect(await names()).toEqual(["alpha", "bravo"]);
    expect(loads).toBe(2);
  });

  it("should see a write made by another connection (a replica, a script) at once", async () => {
    expect(await names()).toEqual([]);
    const other = createDb(t.url);
    try {
      await other.schedule.create({ data: scheduleRow("charlie") });
    } finally {
      await other.$disconnect();
    }
    expect(await names()).toEqual(["charlie"]);
    expect(loads).toBe(2);
  });

  it("should read again once the value is MAX_AGE_MS old, written or not (values derived from the clock)", async () => {
    await names();
    clock += MAX_AGE_MS - 1;
    await names();
    expect(loads).toBe(1);
    clock += 1;
    await names();
    expect(loads).toBe(2);
  });

  it("should let concurrent requests wait for one read, and keep keys apart", async () => {
    await t.db.schedule.create({ data: scheduleRow("delta") });
    const answers = await Promise.all(Array.from({ length: 10 }, () => names()));
    expect(answers.every((a) => a === answers[0])).toBe(true);
    expect(loads).toBe(1);
    expect(await names("other key")).toEqual(["delta"]);
    expect(loads).toBe(2);
  });

  it("should not keep a failed read", async () => {
    let fail = true;
    const flaky = () =>
      sharedRead(t.db, "flaky", async () => {
        loads++;
        if (fail) throw new Error("database hiccup");
        return "ok";
      });
    await expect(flaky()).rejects.toThrow("database hiccup");
    fail = false;
    await expect(flaky()).resolves.toBe("ok");
    expect(loads).toBe(2);
  });
});

describe("sharedRead on sqlite", () => {
  it("should read every time (no cross-process change marker; single small installs)", async () => {
    const t = await freshDatabase("sqlite");
    try {
      let loads = 0;
      const read = () => sharedRead(t.db, "k", async () => ++loads);
      expect(await read()).toBe(1);
      expect(await read()).toBe(2);
    } finally {
      await t.drop();
    }
  });
});

describe("sharedRead when PostgreSQL cannot say its content version", () => {
  it("should read directly instead of failing the page", async () => {
    // Nothing listens on port 1: the position query fails at once, as on an unreachable server.
    const unreachable = createDb("postgresql://nobody:nothing@127.0.0.1:1/none");
    let loads = 0;
    const read = () => sharedRead(unreachable, "k", async () => ++loads);
    expect(await read()).toBe(1);
    expect(await read()).toBe(2);
  });
});
