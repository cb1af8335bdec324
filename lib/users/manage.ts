import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import type { SessionUser } from "@/lib/auth/authenticate";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { endSessionsOf } from "@/lib/auth/sessions";
import { DomainError } from "@/lib/errors";
import { passwordSchema, type AddUserInput } from "@/lib/validation/user";

type Actor = Pick<SessionUser, "id" | "email">;
type Self = Actor & Pick<SessionUser, "sessionId">;
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Two managers demoting each other at once must not leave nobody in charge. Every transaction
 * that can take a manager away first writes (without changing) all manager rows: the row locks
 * queue such transactions one behind the other on PostgreSQL, and the second then counts the
 * managers the first left. SQLite runs one writer at a time anyway.
 */
async function lockManagers(tx: Tx) {
  await tx.user.updateMany({ where: { role: "manager" }, data: { role: "manager" } });
}

export async function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, disabled: true, mustChangePassword: true, createdAt: true },
  });
}

export async function getUser(db: Db, id: string) {
  return db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true, mustChangePassword: true, createdAt: true, updatedAt: true },
  });
}

async function loadTarget(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new DomainError("This user no longer exists.", { code: "not-found" });
  return user;
}

/** Refuses a change that would leave no active manager. */
async function assertAnotherManager(tx: Tx, exceptUserId: string, what: string) {
  await lockManagers(tx);
  const others = await tx.user.count({ where: { role: "manager", disabled: false, id: { not: exceptUserId } } });
  if (others === 0)
    throw new DomainError(`You can't ${what} the last active manager. Make someone else a manager first.`, { code: "last-manager" });
}

export async function addUser(db: Db, actor: Actor, input: Omit<AddUserInput, "email"> & { email: string }) {
  const oneTime = input.passwordMode === "one-time";
  const password = oneTime ? generatePassword() : (input.password ?? "");
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } }))
      throw new DomainError("A user with this email already exists.", { field: "email", code: "duplicate" });
    const created = await tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash, mustChangePassword: oneTime },
    });
    await recordAudit(tx, {
      actor,
      action: "user.add",
      target: created.email,
      outcome: "success",
      details: { role: created.role, oneTimePassword: oneTime },
    });
    return created;
  });
  return { user, oneTimePassword: oneTime ? password : undefined };
}

export async function changeRole(db: Db, actor: Actor, userId: string, role: "manager" | "user") {
  await db.$transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    if (target.role === role) return;
    if (target.role === "manager") await assertAnotherManager(tx, userId, "demote");
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, {
      actor,
      action: "user.change-role",
      target: target.email,
      outcome: "success",
      details: { from: target.role, to: role },
    });
  });
}

export async function setDisabled(db: Db, actor: Actor, userId: string, disabled: boolean) {
  await db.$transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    if (target.disabled === disabled) return;
    if (disabled && target.id === actor.id) throw new DomainError("You can't disable your own account.");
    if (disabled && target.role === "manager") await assertAnotherManager(tx, userId, "disable");
    // The session version bump ends the user's open sessions on their next request.
    await tx.user.update({ where: { id: userId }, data: { disabled, sessionVersion: { increment: 1 } } });
    await endSessionsOf(tx, userId);
    await recordAudit(tx, { actor, action: disabled ? "user.disable" : "user.enable", target: target.email, outcome: "success" });
  });
}

export async function removeUser(db: Db, actor: Actor, userId: string) {
  await db.$transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    if (target.id === actor.id) throw new DomainError("You can't remove your own account.");
    if (target.role === "manager") await assertAnotherManager(tx, userId, "remove");
    await tx.user.delete({ where: { id: userId } });
    await endSessionsOf(tx, userId);
    await recordAudit(tx, { actor, action: "user.remove", target: target.email, outcome: "success", details: { role: target.role } });
  });
}

/** Gives the user a new one-time password (returned once) and ends their sessions. */
export async function resetPassword(db: Db, actor: Actor, userId: string) {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const email = await db.$transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } } });
    await endSessionsOf(tx, userId);
    await recordAudit(tx, { actor, action: "user.reset-password", target: target.email, outcome: "success" });
    return target.email;
  });
  return { email, oneTimePassword: password };
}

/** Changes the user's own password; every other session of theirs ends, the one asking stays. */
export async function changeOwnPassword(db: Db, user: Self, current: string, next: string) {
  const row = await db.user.findUnique({ where: { id: user.id } });
  if (!row) throw new DomainError("Your account no longer exists.");
  if (!(await verifyPassword(row.passwordHash, current)))
    throw new DomainError("Your current password is not right.", { field: "current" });
  if (current === next) throw new DomainError("Choose a password different from the current one.", { field: "next" });
  passwordSchema.parse(next);
  const passwordHash = await hashPassword(next);
  // The session version is kept: changing your own password keeps you signed in here.
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    const ended = await endSessionsOf(tx, user.id, user.sessionId);
    await recordAudit(tx, {
      actor: user,
      action: "user.change-own-password",
      target: row.email,
      outcome: "success",
      details: { otherSessionsEnded: ended },
    });
  });
}

/** "Sign out everywhere": ends every session of the user, this browser's included. */
export async function signOutEverywhere(db: Db, user: Actor): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await endSessionsOf(tx, user.id);
    await recordAudit(tx, {
      actor: user,
      action: "auth.sign-out-everywhere",
      target: user.email,
      outcome: "success",
      details: { sessionsEnded: ended },
    });
    return ended;
  });
}
