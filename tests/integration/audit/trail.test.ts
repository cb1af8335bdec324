import type { ActionState } from "@/lib/actions/action";
import type { SessionUser } from "@/lib/auth/authenticate";
import { authenticate } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { createSchedule, deleteSchedule, repairSchedule, runScheduleNow, setScheduleEnabled, updateSchedule } from "@/lib/schedules/manage";
import { addUser, changeOwnPassword, changeRole, removeUser, resetPassword, setDisabled } from "@/lib/users/manage";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { scheduleDeps, scheduleInput } from "../schedules/support";
import { allowKeyPaths } from "@/tests/support/key-paths";

// "Every action recorded with actor, action, target, outcome and time": one walk through the
// actions that are not already checked beside their own domain (runs, credentials and the CSV
// exports have their audit assertions in tests/integration/{runs,credentials,results}).
// The portal's global client (runAction, sign-out, the schedules export) reads DATABASE_URL.

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
let manager: SessionUser;

beforeAll(async () => {
  fx = await startRunsFixture();
  t = await freshDatabase("sqlite");
  await allowKeyPaths(t.db);
  process.env.DATABASE_URL = t.url;
  const row = await t.db.user.create({
    data: { email: "boss@example.test", name: "Boss", role: "manager", passwordHash: await hashPassword("boss-password-1") },
  });
  manager = { ...row, role: "manager", mustChangePassword: false };
});
afterAll(async () => {
  await t?.drop();
  await stopRunsFixture(fx);
});

async function lastEvent(action: string) {
  return t.db.auditEvent.findFirst({ where: { action }, orderBy: [{ at: "desc" }, { id: "desc" }] });
}

async function expectEvent(action: string, expected: { actorEmail: string | null; target?: string | null; outcome: string }) {
  const event = await lastEvent(action);
  expect({
    action,
    ...(event && {
      actorEmail: event.actorEmail,
      outcome: event.outcome,
      ...(expected.target !== undefined ? { target: event.target } : {}),
    }),
  }).toEqual({ action, ...expected });
  expect(event!.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
}

describe("the audit trail", () => {
  it("should record every step of a schedule's life with who, what and which schedule", async () => {
    const user = await makeUser(t.db);
    const deps = scheduleDeps(t.db, fx.admin);
    const { id, jobName } = await createSchedule(deps, user, scheduleInput(fx, { name: "Audited schedule" }));
    await expectEvent("schedule.create", { actorEmail: user.email, target: id, outcome: "success" });
    await updateSchedule(deps, user, id, scheduleInput(fx, { name: "Audited schedule", time: "04:45" }));
    await expectEvent("schedule.update", { actorEmail: user.email, target: id, outcome: "success" });
    await setScheduleEnabled(deps, user, id, false);
    await expectEvent("schedule.pause", { actorEmail: user.email, target: id, outcome: "success" });
    await setScheduleEnabled(deps, user, id, true);
    await expectEvent("schedule.resume", { actorEmail: user.email, target: id, outcome: "success" });
    await runScheduleNow(deps, user, id);
    await expectEvent("schedule.run-now", { actorEmail: user.email, target: id, outcome: "success" });
    await fx.admin.deleteJob(jobName);
    await repairSchedule(deps, user, id);
    await expectEvent("schedule.repair", { actorEmail: user.email, target: id, outcome: "success" });
    await deleteSchedule(deps, user, id);
    await expectEvent("schedule.delete", { actorEmail: user.email, target: id, outcome: "success" });
  });

  it("should record the JJB export of the schedules with who asked", async () => {
    const { schedulesYamlDownload } = await import("@/lib/schedules/export-download");
    const response = await schedulesYamlDownload(t.db, { actor: manager, address: "192.0.2.7" });
    expect(await response.text()).toContain("Restore Drill schedules");
    await expectEvent("schedule.export", { actorEmail: manager.email, outcome: "success" });
    expect((await lastEvent("schedule.export"))!.address).toBe("192.0.2.7");
  });

  it("should record user management, each with the user it was about", async () => {
    const { user: ann } = await addUser(t.db, manager, {
      email: "ann@example.test",
      name: "Ann",
      role: "user",
      passwordMode: "set",
      password: "ann-password-123",
    });
    await expectEvent("user.add", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
    await changeRole(t.db, manager, ann.id, "manager");
    await expectEvent("user.change-role", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
    await setDisabled(t.db, manager, ann.id, true);
    await expectEvent("user.disable", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
    await setDisabled(t.db, manager, ann.id, false);
    await expectEvent("user.enable", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
    await resetPassword(t.db, manager, ann.id);
    await expectEvent("user.reset-password", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
    await changeOwnPassword(t.db, manager, "boss-password-1", "boss-password-2");
    await expectEvent("user.change-own-password", { actorEmail: manager.email, target: manager.email, outcome: "success" });
    await removeUser(t.db, manager, ann.id);
    await expectEvent("user.remove", { actorEmail: manager.email, target: "ann@example.test", outcome: "success" });
  });

  it("should record sign-ins that worked and that did not, and sign-outs", async () => {
    const bob = await t.db.user.create({
      data: { email: "bob@example.test", name: "Bob", role: "user", passwordHash: await hashPassword("bob-password-123") },
    });
    expect((await authenticate(t.db, { email: "bob@example.test", password: "wrong-password" }, "192.0.2.9")).ok).toBe(false);
    await expectEvent("auth.sign-in", { actorEmail: "bob@example.test", target: "bob@example.test", outcome: "failure" });
    expect((await authenticate(t.db, { email: "bob@example.test", password: "bob-password-123" }, "192.0.2.9")).ok).toBe(true);
    await expectEvent("auth.sign-in", { actorEmail: "bob@example.test", target: "bob@example.test", outcome: "success" });
    const { recordSignOut } = await import("@/lib/auth/options");
    await recordSignOut(bob.id);
    await expectEvent("auth.sign-out", { actorEmail: "bob@example.test", target: "bob@example.test", outcome: "success" });
  });

  it("should record refused and failed attempts under the action's audit name, with the reason", async () => {
    const { ACTIONS } = await import("@/lib/actions/registry");
    const { runAction } = await import("@/lib/actions/action");
    const user = await makeUser(t.db);
    const changeRoleAction = ACTIONS.find((a) => a.name === "users.change-role")!;

    const refused: ActionState = await runAction(changeRoleAction, user, { userId: manager.id, role: "user" });
    expect(refused.code).toBe("forbidden");
    await expectEvent("user.change-role", { actorEmail: user.email, target: manager.id, outcome: "denied" });

    const failed = await runAction(changeRoleAction, manager, { userId: "no-such-user", role: "user" });
    expect(failed.status).toBe("error");
    await expectEvent("user.change-role", { actorEmail: manager.email, target: "no-such-user", outcome: "failure" });
    expect(JSON.parse((await lastEvent("user.change-role"))!.details!)).toEqual({ reason: failed.message });

    // Bad input is answered on the form and is not an attempt at the action.
    const before = await t.db.auditEvent.count();
    expect((await runAction(changeRoleAction, manager, { userId: "", role: "boss" })).code).toBe("invalid");
    expect(await t.db.auditEvent.count()).toBe(before);
  });

  it("should name an audit action for every server action", async () => {
    const { ACTIONS } = await import("@/lib/actions/registry");
    const unnamed = ACTIONS.filter((a) => !/^[a-z]+\.[a-z-]+$/.test(a.audit)).map((a) => a.name);
    expect(unnamed).toEqual([]);
  });
});
