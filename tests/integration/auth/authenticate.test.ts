import { authenticate } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { claimAttempt, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS } from "@/lib/auth/throttle";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../../support/databases";

describe.each(PROVIDERS)("sign-in on %s", (provider) => {
  let t: TestDatabase;
  const password = "correct horse battery";

  beforeEach(async () => {
    t = await freshDatabase(provider);
    const passwordHash = await hashPassword(password);
    await t.db.user.createMany({
      data: [
        { email: "ann@example.com", name: "Ann", role: "user", passwordHash },
        { email: "gone@example.com", name: "Gone", role: "user", passwordHash, disabled: true },
        ...Array.from({ length: 7 }, (_, i) => ({ email: `u${i}@example.com`, name: `U${i}`, role: "user" as const, passwordHash })),
      ],
    });
  });
  afterEach(() => t.drop());

  it("should sign in with the right password and record it", async () => {
    const r = await authenticate(t.db, { email: " Ann@Example.com ", password }, "10.0.0.1");
    expect(r).toMatchObject({ ok: true, user: { email: "ann@example.com", role: "user" } });
    expect(await t.db.auditEvent.findFirst({ where: { action: "auth.sign-in" } })).toMatchObject({
      outcome: "success",
      address: "10.0.0.1",
    });
  });

  it("should answer the same for a wrong password, an unknown email and a disabled account", async () => {
    const answers = await Promise.all([
      authenticate(t.db, { email: "ann@example.com", password: "nope" }, "10.0.0.2"),
      authenticate(t.db, { email: "nobody@example.com", password }, "10.0.0.3"),
      authenticate(t.db, { email: "gone@example.com", password }, "10.0.0.4"),
      authenticate(t.db, { email: "not-an-email", password }, "10.0.0.5"),
    ]);
    for (const a of answers) expect(a).toEqual({ ok: false, reason: "invalid" });
    const failures = await t.db.auditEvent.findMany({ where: { action: "auth.sign-in", outcome: "failure" } });
    expect(failures.map((f) => JSON.parse(f.details!).reason).sort()).toEqual(["disabled", "unknown-email", "wrong-password"]);
  });

  it("should throttle an account at an address after repeated failures, but not its owner at another address", async () => {
    const now = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++) await authenticate(t.db, { email: "ann@example.com", password: "nope" }, "10.1.0.1", now);
    const blocked = await authenticate(t.db, { email: "ann@example.com", password }, "10.1.0.1", new Date(now.getTime() + 1000));
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    expect((blocked as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    const owner = await authenticate(t.db, { email: "ANN@example.com", password }, "10.9.9.9", new Date(now.getTime() + 1000));
    expect(owner.ok).toBe(true);
    const later = await authenticate(t.db, { email: "ann@example.com", password }, "10.1.0.1", new Date(now.getTime() + 31_000));
    expect(later.ok).toBe(true);
  });

  it("should check at most the free number of 30 parallel wrong guesses, and still let the owner in from their address", async () => {
    const now = new Date("2026-01-01T10:00:00Z");
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => authenticate(t.db, { email: "ann@example.com", password: "nope" }, "10.4.0.1", now)),
    );
    const checked = await t.db.auditEvent.count({ where: { action: "auth.sign-in", outcome: "failure" } });
    expect(checked).toBe(FREE_FAILURES);
    expect(answers.filter((a) => !a.ok && a.reason === "throttled")).toHaveLength(30 - FREE_FAILURES);
    const owner = await authenticate(t.db, { email: "ann@example.com", password }, "10.5.0.1", now);
    expect(owner.ok).toBe(true);
  });

  it("should throttle an address that tries many accounts, more loosely than one account", async () => {
    const now = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++)
      await authenticate(t.db, { email: `x${i}@example.com`, password: "nope" }, "10.2.0.1", now);
    const sprayed = await authenticate(t.db, { email: "u6@example.com", password }, "10.2.0.1", new Date(now.getTime() + 1000));
    expect(sprayed).toMatchObject({ ok: false, reason: "throttled" });
    const elsewhere = await authenticate(t.db, { email: "u6@example.com", password }, "10.3.0.1", new Date(now.getTime() + 1000));
    expect(elsewhere.ok).toBe(true);
  });

  it("should give a successful check's claim back to its address", async () => {
    const now = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS + 5; i++)
      expect((await authenticate(t.db, { email: "u1@example.com", password }, "10.6.0.1", now)).ok).toBe(true);
  });

  it("should double the wait with each further failure, up to the cap", async () => {
    const now = new Date("2026-01-01T10:00:00Z");
    const key = { key: "acct:ann@example.com|ip:10.7.0.1", free: FREE_FAILURES };
    const blockedFor = async () =>
      (await t.db.signInThrottle.findUniqueOrThrow({ where: { key: key.key } })).blockedUntil!.getTime() - now.getTime();
    const later = (ms: number) => new Date(now.getTime() + ms);
    for (let i = 0; i < FREE_FAILURES; i++) expect(await claimAttempt(t.db, key, now)).toBe(0);
    expect(await blockedFor()).toBe(30_000);
    expect(await claimAttempt(t.db, key, later(29_000))).toBe(1000);
    expect(await claimAttempt(t.db, key, later(30_000))).toBe(0);
    expect(await blockedFor()).toBe(30_000 + 60_000);
    for (let i = 0; i < 10; i++) await claimAttempt(t.db, key, later(3_600_000 - 1));
    expect(await blockedFor()).toBeLessThanOrEqual(3_600_000 - 1 + 15 * 60_000);
  });
});
