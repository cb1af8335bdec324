import { randomBytes } from "node:crypto";
import type { SessionUser } from "@/lib/auth/authenticate";
import type { Db } from "@/lib/db/client";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { makeHarness, type Harness } from "./harness";

// The world of the API tests: the real route modules on a fresh SQLite database, the Jenkins
// emulator with stand-in pipelines, a user and a manager, tokens made through the domain, and every
// console line kept, so that a test can prove no token reached a log. Every answer goes through
// the OpenAPI check of harness.ts.

export interface ApiWorld {
  t: TestDatabase;
  /** The clients made before jest.resetModules share the Prisma wasm module the reset replaces: after it, only the routes' client (lib/db/client) is queried. */
  db: Db;
  fx: RunsFixture;
  api: Harness;
  tokensMod: typeof import("@/lib/api/tokens");
  ops: typeof import("@/lib/api/operations");
  issued: string[];
  logged: string[];
  user: SessionUser;
  manager: SessionUser;
  asManager(email: string): Promise<SessionUser>;
  token(
    owner: SessionUser,
    scopes: string[],
    options?: { name?: string; now?: Date; expiresIn?: string },
  ): Promise<{ secret: string; id: string; name: string }>;
}

export function apiWorld(): ApiWorld {
  const w = { issued: [] as string[], logged: [] as string[] } as ApiWorld;
  w.asManager = async (email) => {
    const m = await w.db.user.create({ data: { email, name: "Manager", role: "manager", passwordHash: "x" } });
    return { id: m.id, email: m.email, name: m.name, role: "manager", sessionVersion: m.sessionVersion, mustChangePassword: false };
  };
  w.token = async (owner, scopes, options = {}) => {
    const input = { name: options.name ?? `t-${randomBytes(3).toString("hex")}`, expiresIn: options.expiresIn ?? "30", scopes };
    const { createTokenSchema } = await import("@/lib/api/token-schema");
    const { token: secret, view } = await w.tokensMod.createToken(w.db, owner, createTokenSchema.parse(input), options.now);
    w.issued.push(secret);
    return { secret, id: view.id, name: view.name };
  };

  beforeAll(async () => {
    for (const level of ["log", "warn", "error", "info"] as const) {
      const original = console[level].bind(console);
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        w.logged.push(
          args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "),
        );
        original(...args);
      });
    }
    w.t = await freshDatabase("sqlite");
    w.fx = await startRunsFixture();
    Object.assign(process.env, {
      DATABASE_URL: w.t.url,
      JENKINS_URL: w.fx.emulator.url,
      JENKINS_USER: "boss",
      JENKINS_API_TOKEN: w.fx.adminToken,
      RESTORE_DRILL_CALLBACK_SECRET: randomBytes(20).toString("hex"),
      PORTAL_URL: "http://portal.test",
    });
    delete (globalThis as { restoreDrillDb?: unknown }).restoreDrillDb;
    jest.resetModules();
    ({ db: w.db } = await import("@/lib/db/client"));
    w.tokensMod = await import("@/lib/api/tokens");
    w.ops = await import("@/lib/api/operations");
    const { openApiDocument } = await import("@/lib/api/openapi");
    w.api = makeHarness(openApiDocument());
    w.user = await makeUser(w.db);
    // A key reads nothing until a manager grants it directories (lib/credentials/key-paths.ts).
    await allowKeyPaths(w.db);
    w.manager = await w.asManager(`boss-${randomBytes(3).toString("hex")}@example.test`);
  });

  afterAll(async () => {
    await stopRunsFixture(w.fx);
    await w.t?.drop();
    jest.restoreAllMocks();
  });
  return w;
}

/** The closing checks of a file: no token it issued is in the database, a log line, or unchecked. */
export function closingChecks(w: ApiWorld, minimumIssued: number, minimumValidated: number) {
  it("should never store, log or audit a token in clear", async () => {
    expect(w.issued.length).toBeGreaterThanOrEqual(minimumIssued);
    const tables = await w.db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'");
    let dump = "";
    for (const { name } of tables)
      dump += JSON.stringify(await w.db.$queryRawUnsafe(`SELECT * FROM "${name}"`), (_k, v: unknown) =>
        typeof v === "bigint" ? v.toString() : v,
      );
    expect(dump).toContain("rdt_");
    for (const secret of w.issued) {
      const body = secret.slice(4);
      expect(dump.includes(body)).toBe(false);
      expect(w.logged.some((line) => line.includes(body))).toBe(false);
    }
  });

  it("should have answered every call with a status and body the OpenAPI document lists", () => {
    expect(w.api.validated).toBeGreaterThanOrEqual(minimumValidated);
  });
}
