import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { startRun, type StartRunDeps } from "@/lib/runs/start-run";
import { makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// Fairness (lib/runs/start-run.ts): one person may have only so many restores queued or running
// from the run form; the next start is refused with a clear message and leaves nothing behind.

jest.setTimeout(120_000);

let fx: RunsFixture;
beforeAll(async () => {
  fx = await startRunsFixture();
});
afterAll(() => stopRunsFixture(fx));

describe.each(PROVIDERS)("the per-person limit of open runs on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(provider);
    await allowKeyPaths(t.db);
  });
  afterAll(() => t?.drop());

  const deps = (limit: number): StartRunDeps => ({
    db: t.db,
    jenkins: fx.admin,
    portalUrl: "http://portal.example.test",
    maxOpenRunsPerUser: limit,
  });
  const openRun = (data: { startedById: string | null; source: string; status: string }) =>
    t.db.restoreRun.create({
      data: { ...data, parameters: "{}", backupHost: "h", backupPath: "/p", dbType: "mysql", jobName: "restore-drill-pipeline" },
    });

  it("should refuse the run over the limit with a message, and count neither timer runs nor finished ones", async () => {
    const ann = await makeUser(t.db);
    for (const status of ["queued", "running", "running"]) await openRun({ startedById: ann.id, source: "portal", status });
    await openRun({ startedById: ann.id, source: "portal", status: "failed" });
    await openRun({ startedById: null, source: "schedule", status: "running" });
    const before = await t.db.restoreRun.count();

    await expect(startRun(deps(4), ann, fx.params(fx.backupPath("pass")))).resolves.toMatchObject({ runId: expect.any(String) });
    const refused = await startRun(deps(4), ann, fx.params(fx.backupPath("pass"))).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "DomainError", code: "run-limit" });
    expect((refused as Error).message).toBe(
      "You already have 4 restores queued or running; 4 at a time per person keeps the queue fair. Start this one when one of them has finished (or stop one).",
    );
    expect(await t.db.restoreRun.count()).toBe(before + 1);

    // Someone else is not held up by Ann's queue.
    const bob = await makeUser(t.db);
    await expect(startRun(deps(4), bob, fx.params(fx.backupPath("pass")))).resolves.toMatchObject({ runId: expect.any(String) });
  });

  it("should admit no more than the limit of parallel starts, and leave no row of a refused one", async () => {
    const cy = await makeUser(t.db);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => startRun(deps(3), cy, fx.params(fx.backupPath("pass")))));
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    // Never more than the limit; and a start that lost a race while there was room tried again.
    expect(admitted).toBe(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "run-limit" });
    expect(await t.db.restoreRun.count({ where: { startedById: cy.id } })).toBe(admitted);
  });
});
