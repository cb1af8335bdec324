import fs from "node:fs";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/authenticate";
import type { ActionState } from "@/lib/actions/action";
import { freshDatabase, type TestDatabase } from "../../support/databases";

/** Every "use server" file under lib/ and app/, with the specs its exports are bound to. */
function serverActionBindings(): { file: string; exportName: string; specModule: string; spec: string }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== "generated") walk(full);
      else if (/\.tsx?$/.test(e.name) && /^\s*["']use server["']/.test(fs.readFileSync(full, "utf8"))) files.push(full);
    }
  };
  walk("lib");
  walk("app");
  return files.flatMap((file) => {
    const src = fs.readFileSync(file, "utf8");
    const specModule = /import \* as specs from "([^"]+)"/.exec(src)?.[1] ?? "(no specs import)";
    const exports = [...src.matchAll(/export\s+(?:const|async function|function)\s+(\w+)/g)].map((m) => m[1]!);
    return exports.map((exportName) => {
      const bound = new RegExp(`export const ${exportName} = serverAction\\(specs\\.(\\w+)`).exec(src);
      return { file, exportName, specModule, spec: bound?.[1] ?? "(not bound through serverAction)" };
    });
  });
}

describe("every server action", () => {
  let t: TestDatabase;
  let registry: typeof import("@/lib/actions/registry");
  let runAction: typeof import("@/lib/actions/action").runAction;
  let user: SessionUser;
  let manager: SessionUser;

  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    process.env.DATABASE_URL = t.url;
    registry = await import("@/lib/actions/registry");
    ({ runAction } = await import("@/lib/actions/action"));
    const u = await t.db.user.create({ data: { email: "u@example.com", name: "U", role: "user", passwordHash: "x" } });
    const m = await t.db.user.create({ data: { email: "m@example.com", name: "M", role: "manager", passwordHash: "x" } });
    const asSession = (x: typeof u): SessionUser => ({ ...x, mustChangePassword: false });
    user = asSession(u);
    manager = asSession(m);
  });
  afterAll(() => t.drop());

  it("should be bound through serverAction to a spec listed in the registry", async () => {
    const listed = new Set(registry.ACTIONS.map((a) => a.name));
    const bindings = serverActionBindings();
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) {
      const specs = (await import(b.specModule).catch(() => ({}))) as Record<string, { name: string } | undefined>;
      const spec = specs[b.spec];
      expect({ ...b, listed: spec ? listed.has(spec.name) : false }).toEqual({ ...b, listed: true });
    }
  });

  it("should refuse anonymous callers, refuse users on manager actions, and let managers through", async () => {
    const outcomes: Record<string, [string | undefined, string | undefined, string | undefined]> = {};
    for (const spec of registry.ACTIONS) {
      // An empty form: whoever gets past the access check meets the schema, and nothing changes.
      const as = async (who: SessionUser | null): Promise<ActionState> => runAction(spec, who, {});
      outcomes[spec.name] = [(await as(null)).code, (await as(user)).code, (await as(manager)).code];
    }
    for (const spec of registry.ACTIONS) {
      const [anonymous, asUser, asManager] = outcomes[spec.name]!;
      expect({ action: spec.name, anonymous }).toEqual({ action: spec.name, anonymous: "unauthenticated" });
      expect({ action: spec.name, asUser }).toEqual({ action: spec.name, asUser: spec.access === "manager" ? "forbidden" : "invalid" });
      expect({ action: spec.name, asManager }).toEqual({ action: spec.name, asManager: "invalid" });
    }
    expect(await t.db.user.count()).toBe(2);
    // Each refusal of a user at a manager action is in the audit trail under the action's name.
    const denied = await t.db.auditEvent.findMany({ where: { outcome: "denied" }, select: { action: true, actorEmail: true } });
    const managerOnly = registry.ACTIONS.filter((a) => a.access === "manager");
    expect(denied.map((e) => `${e.actorEmail} ${e.action}`).sort()).toEqual(managerOnly.map((a) => `${user.email} ${a.audit}`).sort());
  });

  it("should hold a user with a one-time password at every action but changing it and signing out", async () => {
    const pending: SessionUser = { ...manager, mustChangePassword: true };
    const codes = Object.fromEntries(
      await Promise.all(registry.ACTIONS.map(async (spec) => [spec.name, (await runAction(spec, pending, {})).code] as const)),
    );
    const expected = Object.fromEntries(
      registry.ACTIONS.map((spec) => [spec.name, spec.beforePasswordChange ? "invalid" : "password-change-required"]),
    );
    expect(codes).toEqual(expected);
    expect(
      registry.ACTIONS.filter((a) => a.beforePasswordChange)
        .map((a) => a.name)
        .sort(),
    ).toEqual(["account.change-password", "account.sign-out-everywhere"]);
    const held = await t.db.auditEvent.count({ where: { outcome: "denied", actorEmail: manager.email } });
    expect(held).toBe(registry.ACTIONS.length - 2);
  });

  it("should return field messages and the submitted values, but never secrets, for bad input", async () => {
    const add = registry.ACTIONS.find((a) => a.name === "users.add")!;
    const state = await runAction(add, manager, { email: "not-an-email", name: "", role: "boss", passwordMode: "set", password: "short" });
    expect(state.code).toBe("invalid");
    expect(Object.keys(state.fieldErrors ?? {}).sort()).toEqual(["email", "name", "password", "role"]);
    expect(state.values).toMatchObject({ email: "not-an-email", role: "boss" });
    expect(JSON.stringify(state)).not.toContain("short");
  });

  it("should refuse oversized fields with a message", async () => {
    const add = registry.ACTIONS.find((a) => a.name === "users.add")!;
    const state = await runAction(add, manager, {
      email: `${"a".repeat(300)}@example.com`,
      name: "n".repeat(101),
      role: "user",
      passwordMode: "one-time",
    });
    expect(state.fieldErrors?.email?.[0]).toMatch(/at most 254/);
    expect(state.fieldErrors?.name?.[0]).toMatch(/at most 100/);
  });
});
