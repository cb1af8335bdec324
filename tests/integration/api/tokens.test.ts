import type { SessionUser } from "@/lib/auth/authenticate";
import { createTokenSchema } from "@/lib/api/token-schema";
import { createToken, hashToken, listTokens, resolveBearer, revokeToken } from "@/lib/api/tokens";
import { auditPage } from "@/lib/audit/query";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";

// The token lifecycle on both databases: what is stored, who sees and revokes what, and when a
// token stops working.

describe.each(PROVIDERS)("API tokens on %s", (provider) => {
  let t: TestDatabase;
  let ann: SessionUser;
  let bob: SessionUser;
  let boss: SessionUser;
  const session = (u: { id: string; email: string; name: string; role: "manager" | "user"; sessionVersion: number }): SessionUser => ({
    ...u,
    mustChangePassword: false,
  });
  const input = (name: string, scopes: string[], expiresIn = "30") => createTokenSchema.parse({ name, expiresIn, scopes });

  beforeAll(async () => {
    t = await freshDatabase(provider);
    ann = session(await t.db.user.create({ data: { email: "ann@example.test", name: "Ann", role: "user", passwordHash: "x" } }));
    bob = session(await t.db.user.create({ data: { email: "bob@example.test", name: "Bob", role: "user", passwordHash: "x" } }));
    boss = session(await t.db.user.create({ data: { email: "boss@example.test", name: "Boss", role: "manager", passwordHash: "x" } }));
  });
  afterAll(() => t?.drop());

  it("should store a hash and a prefix only, and resolve the token to its owner and scopes", async () => {
    const { token, view } = await createToken(t.db, ann, input("ci", ["read", "run"]));
    expect(token).toMatch(/^rdt_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.hash).toBe(hashToken(token));
    expect(token.startsWith(row.prefix)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token.slice(12));
    const check = await resolveBearer(t.db, `Bearer ${token}`, "192.0.2.1");
    expect(check).toMatchObject({ ok: true, identity: { user: { email: ann.email }, token: { name: "ci", scopes: ["read", "run"] } } });
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).lastUsedFrom).toBe("192.0.2.1");
    const { events } = await auditPage(t.db, null, 10, { token: view.id });
    expect(events.map((e) => e.action)).toEqual(["token.create"]);
    expect(events[0]!.details).not.toContain(token.slice(4));
  });

  it("should refuse a duplicate name, and admin for a user", async () => {
    await createToken(t.db, bob, input("dup", ["read"]));
    await expect(createToken(t.db, bob, input("dup", ["read"]))).rejects.toThrow(/already have a token named/);
    await expect(createToken(t.db, bob, input("adm", ["admin"]))).rejects.toThrow(/Only managers/);
    await expect(createToken(t.db, boss, input("adm", ["admin"]))).resolves.toBeDefined();
  });

  it("should let owners see and revoke their own, and managers everyone's", async () => {
    const { token, view } = await createToken(t.db, ann, input("mine", ["read"]));
    expect((await listTokens(t.db, bob, "all")).some((v) => v.id === view.id)).toBe(false);
    expect((await listTokens(t.db, boss, "all")).some((v) => v.id === view.id)).toBe(true);
    await expect(revokeToken(t.db, bob, view.id)).rejects.toThrow(/does not exist/);
    await revokeToken(t.db, boss, view.id);
    expect(await resolveBearer(t.db, `Bearer ${token}`, null)).toEqual({ ok: false, reason: "revoked" });
    expect((await listTokens(t.db, ann)).find((v) => v.id === view.id)).toMatchObject({ state: "revoked" });
  });

  it("should stop at expiry and when the owner is disabled or removed", async () => {
    const old = await createToken(t.db, ann, input("old", ["read"], "7"), new Date(Date.now() - 8 * 86_400_000));
    expect(await resolveBearer(t.db, `Bearer ${old.token}`, null)).toEqual({ ok: false, reason: "expired" });
    const carl = session(await t.db.user.create({ data: { email: "carl@example.test", name: "Carl", role: "user", passwordHash: "x" } }));
    const carls = await createToken(t.db, carl, input("c", ["read"]));
    await t.db.user.update({ where: { id: carl.id }, data: { disabled: true } });
    expect(await resolveBearer(t.db, `Bearer ${carls.token}`, null)).toEqual({ ok: false, reason: "owner" });
    await t.db.user.delete({ where: { id: carl.id } });
    expect(await resolveBearer(t.db, `Bearer ${carls.token}`, null)).toEqual({ ok: false, reason: "owner" });
    for (const header of [null, "", "Bearer", `Basic ${carls.token}`, `Bearer ${carls.token} extra`, "Bearer rdt_short"])
      expect((await resolveBearer(t.db, header, null)).ok).toBe(false);
  });
});
