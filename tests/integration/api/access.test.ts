import { randomBytes } from "node:crypto";
import type { ApiOperation } from "@/lib/api/operations";
import { makeUser } from "../runs/support";
import { routeModules } from "./harness";
import { apiWorld, closingChecks } from "./world";

// Who may call what: every API route is an operation in lib/api/operations.ts and a token route in
// the access policy; tokens × scopes, including revoked, expired, disabled and removed owners.

const w = apiWorld();

const missingRun = "zzzzzzzzzzzzzzzzzzzzzzzzz";
const missingSchedule = "zzzzzzzzzzzzzzzzzzzzzzzzz";

/** One harmless request per operation: with the right w.token it may not write anything. */
function sample(id: string): { method: string; url: string; body?: unknown } {
  const samples: Record<string, { method: string; url: string; body?: unknown }> = {
    "runs.start": { method: "POST", url: "/api/v1/runs", body: {} },
    "runs.list": { method: "GET", url: "/api/v1/runs" },
    "runs.get": { method: "GET", url: `/api/v1/runs/${missingRun}` },
    "runs.log": { method: "GET", url: `/api/v1/runs/${missingRun}/log` },
    "runs.stop": { method: "POST", url: `/api/v1/runs/${missingRun}/stop` },
    "stats.get": { method: "GET", url: "/api/v1/stats" },
    "schedules.list": { method: "GET", url: "/api/v1/schedules" },
    "schedules.create": { method: "POST", url: "/api/v1/schedules", body: {} },
    "schedules.get": { method: "GET", url: `/api/v1/schedules/${missingSchedule}` },
    "schedules.update": { method: "PATCH", url: `/api/v1/schedules/${missingSchedule}`, body: { time: "03:00" } },
    "schedules.delete": { method: "DELETE", url: `/api/v1/schedules/${missingSchedule}` },
    "schedules.run": { method: "POST", url: `/api/v1/schedules/${missingSchedule}/run` },
    "schedules.pause": { method: "POST", url: `/api/v1/schedules/${missingSchedule}/pause` },
    "schedules.resume": { method: "POST", url: `/api/v1/schedules/${missingSchedule}/resume` },
    "credentials.list": { method: "GET", url: "/api/v1/credentials" },
    "credentials.add": { method: "POST", url: "/api/v1/credentials", body: { kind: "ssh" } },
    "credentials.delete": { method: "DELETE", url: "/api/v1/credentials/%20bad" },
    metrics: { method: "GET", url: "/metrics" },
  };
  const s = samples[id];
  if (!s) throw new Error(`no sample request for ${id}: add one`);
  return s;
}

describe("the API's routes and the policy", () => {
  it("should have one operation per exported handler, each listed in the access policy as token-checked", async () => {
    const { ROUTES } = await import("@/lib/auth/policy");
    const all: ApiOperation[] = [...Object.values(w.ops.OPERATIONS), w.ops.METRICS_OPERATION];
    const exported: string[] = [];
    for (const [p, mod] of routeModules()) {
      if (p === "/openapi.json") continue;
      const m = (await import(mod)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) if (m[method]) exported.push(`${method} ${p}`);
      const pattern = p === "/metrics" ? "/metrics" : `/api/v1${p.replace(/\{(\w+)\}/g, "[$1]")}`;
      expect({ pattern, access: ROUTES.find((r) => r.pattern === pattern)?.access }).toEqual({ pattern, access: "token" });
    }
    expect(exported.sort()).toEqual(all.map((o) => `${o.method} ${o.path}`).sort());
  });
});

describe("tokens × scopes", () => {
  it("should refuse no token, a wrong scope, revoked, expired, disabled and removed owners; and let the right scope through", async () => {
    const all: ApiOperation[] = [...Object.values(w.ops.OPERATIONS), w.ops.METRICS_OPERATION];
    const runsBefore = await w.db.restoreRun.count();
    const schedulesBefore = await w.db.schedule.count();
    for (const op of all) {
      const s = sample(op.id);
      const owner = op.managerOnly ? w.manager : w.user;
      const right = await w.token(owner, [op.scope]);
      const wrong = await w.token(
        owner,
        ["read", "run", "schedules", "metrics", ...(owner.role === "manager" ? ["admin"] : [])].filter((x) => x !== op.scope),
      );
      const revoked = await w.token(owner, [op.scope]);
      await w.tokensMod.revokeToken(w.db, owner, revoked.id);
      const expired = await w.token(owner, [op.scope], { expiresIn: "7", now: new Date(Date.now() - 8 * 86_400_000) });
      const disabledOwner = op.managerOnly ? await w.asManager(`d-${randomBytes(3).toString("hex")}@example.test`) : await makeUser(w.db);
      const ofDisabled = await w.token(disabledOwner, [op.scope]);
      await w.db.user.update({ where: { id: disabledOwner.id }, data: { disabled: true } });
      const removedOwner = op.managerOnly ? await w.asManager(`r-${randomBytes(3).toString("hex")}@example.test`) : await makeUser(w.db);
      const ofRemoved = await w.token(removedOwner, [op.scope]);
      await w.db.user.delete({ where: { id: removedOwner.id } });

      const status = async (secret?: string) => (await w.api.call(s.method, s.url, { token: secret, body: s.body })).status;
      const seen = {
        op: op.id,
        none: await status(),
        garbage: await status("rdt_" + "x".repeat(43)),
        wrongScope: await status(wrong.secret),
        revoked: await status(revoked.secret),
        expired: await status(expired.secret),
        disabledOwner: await status(ofDisabled.secret),
        removedOwner: await status(ofRemoved.secret),
      };
      expect(seen).toEqual({
        op: op.id,
        none: 401,
        garbage: 401,
        wrongScope: 403,
        revoked: 401,
        expired: 401,
        disabledOwner: 401,
        removedOwner: 401,
      });
      const allowed = await status(right.secret);
      expect({ op: op.id, allowed: [401, 403, 429, 500].includes(allowed) ? allowed : "through" }).toEqual({
        op: op.id,
        allowed: "through",
      });
    }
    // Refused calls wrote nothing.
    expect(await w.db.restoreRun.count()).toBe(runsBefore);
    expect(await w.db.schedule.count()).toBe(schedulesBefore);
  });

  it("should refuse manager-only operations once the admin token's owner is no longer a manager", async () => {
    const former = await w.asManager(`former-${randomBytes(3).toString("hex")}@example.test`);
    const admin = await w.token(former, ["admin"]);
    expect((await w.api.call("POST", "/api/v1/credentials", { token: admin.secret, body: { kind: "ssh" } })).status).toBe(422);
    await w.db.user.update({ where: { id: former.id }, data: { role: "user" } });
    expect((await w.api.call("POST", "/api/v1/credentials", { token: admin.secret, body: { kind: "ssh" } })).status).toBe(403);
  });

  it("should not let a user give a token the admin scope", async () => {
    await expect(w.token(w.user, ["admin"])).rejects.toThrow(/Only managers/);
  });

  it("should refuse a token in the URL and a non-Bearer scheme", async () => {
    const read = await w.token(w.user, ["read"]);
    expect((await w.api.call("GET", `/api/v1/runs?access_token=${read.secret}`)).status).toBe(400);
    expect(
      (
        await w.api.call("GET", "/api/v1/runs", {
          headers: { authorization: `Basic ${Buffer.from(`x:${read.secret}`).toString("base64")}` },
        })
      ).status,
    ).toBe(401);
  });

  it("should answer 429 with Retry-After once a token passes its rate limit", async () => {
    const read = await w.token(w.user, ["read"]);
    process.env.API_RATE_LIMIT_PER_MINUTE = "3";
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await w.api.call("GET", "/api/v1/schedules", { token: read.secret }));
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(Number(statuses[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(statuses[3]!.headers.get("content-type")).toBe("application/problem+json");
    } finally {
      delete process.env.API_RATE_LIMIT_PER_MINUTE;
    }
  });
});

describe("the token itself", () => {
  closingChecks(w, 100, 150);
});
