import { resolveSessionUser } from "@/lib/auth/authenticate";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { DomainError } from "@/lib/errors";
import { addUser, changeOwnPassword, changeRole, removeUser, resetPassword, setDisabled } from "@/lib/users/manage";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../../support/databases";

describe.each(PROVIDERS)("user management on %s", (provider) => {
  let t: TestDatabase;
  let boss: { id: string; email: string };

  beforeEach(async () => {
    t = await freshDatabase(provider);
    boss = await t.db.user.create({ data: { email: "boss@example.com", name: "Boss", role: "manager", passwordHash: await hashPassword("boss-password-1") } });
  });
  afterEach(() => t.drop());

  const audit = (action: string) => t.db.auditEvent.findMany({ where: { action } });

  it("should add a user with a one-time password that must be changed, and audit it", async () => {
    const { user, oneTimePassword } = await addUser(t.db, boss, { email: "ann@example.com", name: "Ann", role: "user", passwordMode: "one-time" });
    expect(oneTimePassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(user.mustChangePassword).toBe(true);
    expect(await verifyPassword(user.passwordHash, oneTimePassword!)).toBe(true);
    expect(user.passwordHash).not.toContain(oneTimePassword!);
    const [event] = await audit("user.add");
    expect(event).toMatchObject({ actorEmail: "boss@example.com", target: "ann@example.com", outcome: "success" });
  });

  it("should refuse a duplicate email on the email field and write nothing", async () => {
    await addUser(t.db, boss, { email: "ann@example.com", name: "Ann", role: "user", passwordMode: "one-time" });
    const before = { users: await t.db.user.count(), events: await t.db.auditEvent.count() };
    const attempt = addUser(t.db, boss, { email: "ann@example.com", name: "Other Ann", role: "manager", passwordMode: "one-time" });
    await expect(attempt).rejects.toThrow(DomainError);
    await expect(attempt).rejects.toMatchObject({ field: "email" });
    expect({ users: await t.db.user.count(), events: await t.db.auditEvent.count() }).toEqual(before);
  });

  it("should never demote, disable or remove the last active manager", async () => {
    const other = await t.db.user.create({ data: { email: "u@example.com", name: "U", role: "user", passwordHash: "x" } });
    await expect(changeRole(t.db, other, boss.id, "user")).rejects.toMatchObject({ code: "last-manager" });
    await expect(removeUser(t.db, other, boss.id)).rejects.toMatchObject({ code: "last-manager" });
    await expect(setDisabled(t.db, other, boss.id, true)).rejects.toMatchObject({ code: "last-manager" });
    expect(await t.db.user.findUnique({ where: { id: boss.id } })).toMatchObject({ role: "manager", disabled: false });
    expect(await audit("user.change-role")).toHaveLength(0);

    await changeRole(t.db, boss, other.id, "manager");
    await changeRole(t.db, other, boss.id, "user");
    expect(await t.db.user.findUnique({ where: { id: boss.id } })).toMatchObject({ role: "user" });
  });

  it("should not count a disabled manager as the one left in charge", async () => {
    const second = await t.db.user.create({ data: { email: "m2@example.com", name: "M2", role: "manager", passwordHash: "x", disabled: true } });
    await expect(changeRole(t.db, second, boss.id, "user")).rejects.toMatchObject({ code: "last-manager" });
  });

  it("should end a user's sessions when they are disabled, reset or removed", async () => {
    const { user } = await addUser(t.db, boss, { email: "ann@example.com", name: "Ann", role: "user", passwordMode: "set", password: "correct horse battery" });
    const issued = user.sessionVersion;
    expect(await resolveSessionUser(t.db, user.id, issued)).not.toBeNull();

    await setDisabled(t.db, boss, user.id, true);
    expect(await resolveSessionUser(t.db, user.id, issued)).toBeNull();
    await setDisabled(t.db, boss, user.id, false);
    const afterEnable = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion;
    expect(await resolveSessionUser(t.db, user.id, afterEnable)).not.toBeNull();

    const { oneTimePassword } = await resetPassword(t.db, boss, user.id);
    expect(await resolveSessionUser(t.db, user.id, afterEnable)).toBeNull();
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(row.passwordHash, "correct horse battery")).toBe(false);
    expect(await verifyPassword(row.passwordHash, oneTimePassword)).toBe(true);
    expect(row.mustChangePassword).toBe(true);

    await removeUser(t.db, boss, user.id);
    expect(await resolveSessionUser(t.db, user.id, row.sessionVersion)).toBeNull();
    expect((await audit("user.remove"))[0]).toMatchObject({ target: "ann@example.com" });
  });

  it("should let people change their own password only with the current one", async () => {
    const { user } = await addUser(t.db, boss, { email: "ann@example.com", name: "Ann", role: "user", passwordMode: "one-time" });
    await expect(changeOwnPassword(t.db, user, "wrong", "a brand new passphrase")).rejects.toMatchObject({ field: "current" });
    const { oneTimePassword } = await resetPassword(t.db, boss, user.id);
    await changeOwnPassword(t.db, user, oneTimePassword, "a brand new passphrase");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mustChangePassword).toBe(false);
    expect(await verifyPassword(row.passwordHash, "a brand new passphrase")).toBe(true);
  });

  it("should keep a manager in charge when two managers demote each other at once", async () => {
    const second = await t.db.user.create({ data: { email: "m2@example.com", name: "M2", role: "manager", passwordHash: "x" } });
    const results = await Promise.allSettled([changeRole(t.db, boss, second.id, "user"), changeRole(t.db, second, boss.id, "user")]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    expect(await t.db.user.count({ where: { role: "manager" } })).toBeGreaterThanOrEqual(1);
  });
});
