import { resolveSessionUser } from "@/lib/auth/authenticate";
import { endSession, openSession } from "@/lib/auth/sessions";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { DomainError } from "@/lib/errors";
import { addUser, changeOwnPassword, changeRole, removeUser, resetPassword, setDisabled, signOutEverywhere } from "@/lib/users/manage";
import { freshDatabase, PROVIDERS, type TestDatabase } from "../../support/databases";

describe.each(PROVIDERS)("user management on %s", (provider) => {
  let t: TestDatabase;
  let boss: { id: string; email: string };

  beforeEach(async () => {
    t = await freshDatabase(provider);
    boss = await t.db.user.create({
      data: { email: "boss@example.com", name: "Boss", role: "manager", passwordHash: await hashPassword("boss-password-1") },
    });
  });
  afterEach(() => t.drop());

  const audit = (action: string) => t.db.auditEvent.findMany({ where: { action } });

  it("should add a user with a one-time password that must be changed, and audit it", async () => {
    const { user, oneTimePassword } = await addUser(t.db, boss, {
      email: "ann@example.com",
      name: "Ann",
      role: "user",
      passwordMode: "one-time",
    });
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
    const second = await t.db.user.create({
      data: { email: "m2@example.com", name: "M2", role: "manager", passwordHash: "x", disabled: true },
    });
    await expect(changeRole(t.db, second, boss.id, "user")).rejects.toMatchObject({ code: "last-manager" });
  });

  it("should end a user's sessions when they are disabled, reset or removed", async () => {
    const { user } = await addUser(t.db, boss, {
      email: "ann@example.com",
      name: "Ann",
      role: "user",
      passwordMode: "set",
      password: "correct horse battery",
    });
    const issued = user.sessionVersion;
    const sid = await openSession(t.db, user.id);
    expect(await resolveSessionUser(t.db, user.id, issued, sid)).not.toBeNull();

    await setDisabled(t.db, boss, user.id, true);
    expect(await resolveSessionUser(t.db, user.id, issued, sid)).toBeNull();
    await setDisabled(t.db, boss, user.id, false);
    const afterEnable = (await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion;
    const sid2 = await openSession(t.db, user.id);
    expect(await resolveSessionUser(t.db, user.id, afterEnable, sid2)).not.toBeNull();

    const { oneTimePassword } = await resetPassword(t.db, boss, user.id);
    expect(await resolveSessionUser(t.db, user.id, afterEnable, sid2)).toBeNull();
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(row.passwordHash, "correct horse battery")).toBe(false);
    expect(await verifyPassword(row.passwordHash, oneTimePassword)).toBe(true);
    expect(row.mustChangePassword).toBe(true);

    await removeUser(t.db, boss, user.id);
    expect(await resolveSessionUser(t.db, user.id, row.sessionVersion, await openSession(t.db, user.id))).toBeNull();
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

  it("should end a signed-out session for good, whatever copy of its cookie comes back", async () => {
    const { user } = await addUser(t.db, boss, {
      email: "ann@example.com",
      name: "Ann",
      role: "user",
      passwordMode: "set",
      password: "correct horse battery",
    });
    const sid = await openSession(t.db, user.id);
    expect(await resolveSessionUser(t.db, user.id, user.sessionVersion, sid)).toMatchObject({ id: user.id, sessionId: sid });
    await endSession(t.db, sid);
    expect(await resolveSessionUser(t.db, user.id, user.sessionVersion, sid)).toBeNull();
    // No session id (a token issued before sessions were kept) and someone else's id are refused too.
    expect(await resolveSessionUser(t.db, user.id, user.sessionVersion, undefined)).toBeNull();
    expect(await resolveSessionUser(t.db, user.id, user.sessionVersion, await openSession(t.db, boss.id))).toBeNull();
    // A session past its lifetime is over even if its row is still there.
    const old = await openSession(t.db, user.id, new Date(Date.now() - 9 * 3600_000));
    expect(await resolveSessionUser(t.db, user.id, user.sessionVersion, old)).toBeNull();
    expect(JSON.stringify(await t.db.session.findMany())).not.toContain(sid);
  });

  it("should end the other sessions on a password change, and all of them on sign out everywhere", async () => {
    const { user } = await addUser(t.db, boss, {
      email: "ann@example.com",
      name: "Ann",
      role: "user",
      passwordMode: "set",
      password: "correct horse battery",
    });
    const [laptop, phone, kiosk] = [await openSession(t.db, user.id), await openSession(t.db, user.id), await openSession(t.db, user.id)];
    const bossSession = await openSession(t.db, boss.id);
    const live = async (sid: string) => !!(await resolveSessionUser(t.db, user.id, user.sessionVersion, sid));

    await changeOwnPassword(t.db, { ...user, sessionId: laptop }, "correct horse battery", "a brand new passphrase");
    expect([await live(laptop), await live(phone), await live(kiosk)]).toEqual([true, false, false]);
    expect((await audit("user.change-own-password"))[0]?.details).toContain('"otherSessionsEnded":2');

    const desk = await openSession(t.db, user.id);
    expect(await signOutEverywhere(t.db, user)).toBe(2);
    expect([await live(laptop), await live(desk)]).toEqual([false, false]);
    expect(await resolveSessionUser(t.db, boss.id, 1, bossSession)).not.toBeNull();
    expect(await audit("auth.sign-out-everywhere")).toHaveLength(1);
  });

  it("should keep a manager in charge when two managers demote each other at once", async () => {
    const second = await t.db.user.create({ data: { email: "m2@example.com", name: "M2", role: "manager", passwordHash: "x" } });
    const results = await Promise.allSettled([changeRole(t.db, boss, second.id, "user"), changeRole(t.db, second, boss.id, "user")]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    expect(await t.db.user.count({ where: { role: "manager" } })).toBeGreaterThanOrEqual(1);
  });
});
