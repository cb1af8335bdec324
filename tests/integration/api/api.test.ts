import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { randomBytes } from "node:crypto";
import type { SessionUser } from "@/lib/auth/authenticate";
import type { Db } from "@/lib/db/client";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { eventually, makeUser, startRunsFixture, stopRunsFixture, type RunsFixture } from "../runs/support";
import { makeHarness, routeModules, type Harness } from "./harness";

// The API end to end against the real route modules, a real database and the Jenkins emulator:
// tokens × scopes, the domain flows, hostile input, the audit trail, metrics and where the token
// may never appear. Every answer is checked against the served OpenAPI document (harness.ts).

let t: TestDatabase;
// The clients made before jest.resetModules share the Prisma wasm module the reset replaces: after it,
// only the client the routes use (lib/db/client) is queried.
let db: Db;
let fx: RunsFixture;
let api: Harness;
let tokensMod: typeof import("@/lib/api/tokens");
let ops: typeof import("@/lib/api/operations");
const issued: string[] = [];
const logged: string[] = [];
let user: SessionUser;
let manager: SessionUser;

const asManager = async (email: string): Promise<SessionUser> => {
  const m = await db.user.create({ data: { email, name: "Manager", role: "manager", passwordHash: "x" } });
  return { id: m.id, email: m.email, name: m.name, role: "manager", sessionVersion: m.sessionVersion, mustChangePassword: false };
};

async function token(owner: SessionUser, scopes: string[], options: { name?: string; now?: Date; expiresIn?: string } = {}) {
  const input = { name: options.name ?? `t-${randomBytes(3).toString("hex")}`, expiresIn: options.expiresIn ?? "30", scopes };
  const { createTokenSchema } = await import("@/lib/api/token-schema");
  const { token: secret, view } = await tokensMod.createToken(db, owner, createTokenSchema.parse(input), options.now);
  issued.push(secret);
  return { secret, id: view.id, name: view.name };
}

beforeAll(async () => {
  for (const level of ["log", "warn", "error", "info"] as const) {
    const original = console[level].bind(console);
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      original(...args);
    });
  }
  t = await freshDatabase("sqlite");
  fx = await startRunsFixture();
  Object.assign(process.env, {
    DATABASE_URL: t.url,
    JENKINS_URL: fx.emulator.url,
    JENKINS_USER: "boss",
    JENKINS_API_TOKEN: fx.adminToken,
    RESTORE_DRILL_CALLBACK_SECRET: randomBytes(20).toString("hex"),
    PORTAL_URL: "http://portal.test",
  });
  delete (globalThis as { restoreDrillDb?: unknown }).restoreDrillDb;
  jest.resetModules();
  ({ db } = await import("@/lib/db/client"));
  tokensMod = await import("@/lib/api/tokens");
  ops = await import("@/lib/api/operations");
  const { openApiDocument } = await import("@/lib/api/openapi");
  api = makeHarness(openApiDocument());
  user = await makeUser(db);
  manager = await asManager(`boss-${randomBytes(3).toString("hex")}@example.test`);
});

afterAll(async () => {
  await stopRunsFixture(fx);
  await t?.drop();
  jest.restoreAllMocks();
});

const missingRun = "zzzzzzzzzzzzzzzzzzzzzzzzz";
const missingSchedule = "zzzzzzzzzzzzzzzzzzzzzzzzz";

/** One harmless request per operation: with the right token it may not write anything. */
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
    const all: import("@/lib/api/operations").ApiOperation[] = [...Object.values(ops.OPERATIONS), ops.METRICS_OPERATION];
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
    const all: import("@/lib/api/operations").ApiOperation[] = [...Object.values(ops.OPERATIONS), ops.METRICS_OPERATION];
    const runsBefore = await db.restoreRun.count();
    const schedulesBefore = await db.schedule.count();
    for (const op of all) {
      const s = sample(op.id);
      const owner = op.managerOnly ? manager : user;
      const right = await token(owner, [op.scope]);
      const wrong = await token(owner, ["read", "run", "schedules", "metrics", ...(owner.role === "manager" ? ["admin"] : [])].filter((x) => x !== op.scope));
      const revoked = await token(owner, [op.scope]);
      await tokensMod.revokeToken(db, owner, revoked.id);
      const expired = await token(owner, [op.scope], { expiresIn: "7", now: new Date(Date.now() - 8 * 86_400_000) });
      const disabledOwner = op.managerOnly ? await asManager(`d-${randomBytes(3).toString("hex")}@example.test`) : await makeUser(db);
      const ofDisabled = await token(disabledOwner, [op.scope]);
      await db.user.update({ where: { id: disabledOwner.id }, data: { disabled: true } });
      const removedOwner = op.managerOnly ? await asManager(`r-${randomBytes(3).toString("hex")}@example.test`) : await makeUser(db);
      const ofRemoved = await token(removedOwner, [op.scope]);
      await db.user.delete({ where: { id: removedOwner.id } });

      const status = async (secret?: string) => (await api.call(s.method, s.url, { token: secret, body: s.body })).status;
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
      expect(seen).toEqual({ op: op.id, none: 401, garbage: 401, wrongScope: 403, revoked: 401, expired: 401, disabledOwner: 401, removedOwner: 401 });
      const allowed = await status(right.secret);
      expect({ op: op.id, allowed: [401, 403, 429, 500].includes(allowed) ? allowed : "through" }).toEqual({ op: op.id, allowed: "through" });
    }
    // Refused calls wrote nothing.
    expect(await db.restoreRun.count()).toBe(runsBefore);
    expect(await db.schedule.count()).toBe(schedulesBefore);
  });

  it("should refuse manager-only operations once the admin token's owner is no longer a manager", async () => {
    const former = await asManager(`former-${randomBytes(3).toString("hex")}@example.test`);
    const admin = await token(former, ["admin"]);
    expect((await api.call("POST", "/api/v1/credentials", { token: admin.secret, body: { kind: "ssh" } })).status).toBe(422);
    await db.user.update({ where: { id: former.id }, data: { role: "user" } });
    expect((await api.call("POST", "/api/v1/credentials", { token: admin.secret, body: { kind: "ssh" } })).status).toBe(403);
  });

  it("should not let a user give a token the admin scope", async () => {
    await expect(token(user, ["admin"])).rejects.toThrow(/Only managers/);
  });

  it("should refuse a token in the URL and a non-Bearer scheme", async () => {
    const read = await token(user, ["read"]);
    expect((await api.call("GET", `/api/v1/runs?access_token=${read.secret}`)).status).toBe(400);
    expect((await api.call("GET", "/api/v1/runs", { headers: { authorization: `Basic ${Buffer.from(`x:${read.secret}`).toString("base64")}` } })).status).toBe(401);
  });

  it("should answer 429 with Retry-After once a token passes its rate limit", async () => {
    const read = await token(user, ["read"]);
    process.env.API_RATE_LIMIT_PER_MINUTE = "3";
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await api.call("GET", "/api/v1/schedules", { token: read.secret }));
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(Number(statuses[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(statuses[3]!.headers.get("content-type")).toBe("application/problem+json");
    } finally {
      delete process.env.API_RATE_LIMIT_PER_MINUTE;
    }
  });
});

describe("restores, logs and statistics", () => {
  it("should start a restore, show it, page it by date in a time zone, cut its log by range and count it", async () => {
    const runner = await token(user, ["read", "run"], { name: "ci nightly" });
    const started = await api.call("POST", "/api/v1/runs", { token: runner.secret, body: fx.params(fx.backupPath("pass")) });
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { id: string; url: string; status: string } };
    expect(run).toMatchObject({ status: "queued", url: `http://portal.test/runs/${run.id}` });
    expect(started.headers.get("location")).toBe(`/api/v1/runs/${run.id}`);

    const { reconcileOnce } = await import("@/lib/runs/reconcile");
    const done = await eventually(async () => {
      await reconcileOnce({ db: db, jenkins: fx.admin });
      const res = await api.call("GET", `/api/v1/runs/${run.id}`, { token: runner.secret });
      const body = (await res.json()) as { status: string; stages: unknown[]; totalRows: number | null };
      return body.status === "passed" ? body : null;
    }, "the run to pass", 60_000, 300);
    expect(done.totalRows).toBe(57);

    const whole = await api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret });
    expect(whole.status).toBe(200);
    const text = await whole.text();
    expect(text).toContain("restore-drill-restore #1 completed");
    const part = await api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=5-14" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe(Buffer.from(text).subarray(5, 15).toString());
    expect(part.headers.get("content-range")).toBe(`bytes 5-14/${Buffer.byteLength(text)}`);
    const tail = await api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=-7" } });
    expect(await tail.text()).toBe(Buffer.from(text).subarray(-7).toString());
    expect((await api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=99999999-" } })).status).toBe(416);

    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date());
    const listed = await api.call("GET", `/api/v1/runs?from=${today}&to=${today}&tz=Pacific/Kiritimati&status=passed`, { token: runner.secret });
    const page = (await listed.json()) as { runs: { id: string }[]; next: string | null };
    expect(page.runs.map((r) => r.id)).toContain(run.id);
    const yesterdayOnly = await api.call("GET", `/api/v1/runs?from=2020-01-01&to=2020-01-02&tz=UTC`, { token: runner.secret });
    expect(((await yesterdayOnly.json()) as { runs: unknown[] }).runs).toEqual([]);

    const stats = await api.call("GET", `/api/v1/stats?from=${today}&to=${today}&tz=Pacific/Kiritimati`, { token: runner.secret });
    const body = (await stats.json()) as { totals: { passed: number; total: number; successRate: number | null } };
    expect(body.totals.passed).toBeGreaterThanOrEqual(1);
    expect(body.totals.successRate).not.toBeNull();

    expect((await api.call("POST", `/api/v1/runs/${run.id}/stop`, { token: runner.secret })).status).toBe(409);
  });

  it("should create, change, pause, resume, run and delete a schedule through the same rules as the form", async () => {
    const planner = await token(user, ["read", "schedules"]);
    const body = { ...fx.params(fx.backupPath("pass")), name: `Nightly ${randomBytes(2).toString("hex")}`, frequency: "daily", time: "02:30", timeZone: "Europe/Dublin" };
    const created = await api.call("POST", "/api/v1/schedules", { token: planner.secret, body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await api.call("POST", "/api/v1/schedules", { token: planner.secret, body })).status).toBe(409);
    const changed = await api.call("PATCH", `/api/v1/schedules/${id}`, { token: planner.secret, body: { time: "03:45" } });
    expect(((await changed.json()) as { when: { time: string } }).when.time).toBe("03:45");
    const bad = await api.call("PATCH", `/api/v1/schedules/${id}`, { token: planner.secret, body: { time: "25:99" } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Record<string, string[]> }).errors.time).toBeDefined();
    expect(((await (await api.call("POST", `/api/v1/schedules/${id}/pause`, { token: planner.secret })).json()) as { enabled: boolean }).enabled).toBe(false);
    expect((await api.call("POST", `/api/v1/schedules/${id}/run`, { token: planner.secret })).status).toBe(409);
    expect((await api.call("POST", `/api/v1/schedules/${id}/resume`, { token: planner.secret })).status).toBe(200);
    expect((await api.call("POST", `/api/v1/schedules/${id}/run`, { token: planner.secret })).status).toBe(202);
    const list = (await (await api.call("GET", "/api/v1/schedules", { token: planner.secret })).json()) as { schedules: { id: string }[] };
    expect(list.schedules.map((s) => s.id)).toContain(id);
    expect((await api.call("DELETE", `/api/v1/schedules/${id}`, { token: planner.secret })).status).toBe(204);
    expect((await api.call("GET", `/api/v1/schedules/${id}`, { token: planner.secret })).status).toBe(404);
  });

  it("should list keys by id, description and fingerprint only", async () => {
    const read = await token(user, ["read"]);
    const res = await api.call("GET", "/api/v1/credentials", { token: read.secret });
    const text = await res.text();
    expect(text).toContain("runs-test-ssh");
    expect(text).not.toMatch(/PRIVATE KEY|privateKey|passphrase/i);
  });
});

describe("hostile input", () => {
  // The same values as the run form's test (tests/unit/runs/parameters.test.ts).
  const HOSTILE = ["$(touch /tmp/pwned)", "`id`", "; rm -rf ~", "a\nb", "'quoted'", '"dq"', "x|y", "x&y"];

  it("should refuse hostile bodies with 422 and field errors, writing nothing", async () => {
    const both = await token(user, ["run", "schedules"]);
    const runs = await db.restoreRun.count();
    const schedules = await db.schedule.count();
    for (const hostile of HOSTILE) {
      for (const field of ["backupHost", "backupPath", "sshCredentialId", "gpgCredentialId", "notifyEmail", "backupHostKey"]) {
        const value = field === "backupPath" ? `/srv/${hostile}` : hostile;
        const run = await api.call("POST", "/api/v1/runs", { token: both.secret, body: { ...fx.params(fx.backupPath("pass")), [field]: value } });
        expect({ field, hostile, status: run.status }).toEqual({ field, hostile, status: 422 });
        const problem = (await run.json()) as { errors: Record<string, string[]>; detail: string };
        expect(Object.keys(problem.errors)).toContain(field);
        expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|node_modules/);
      }
      const schedule = await api.call("POST", "/api/v1/schedules", { token: both.secret, body: { ...fx.params(fx.backupPath("pass")), name: `x${hostile}`, frequency: "daily", time: "02:30", timeZone: "Europe/Dublin" } });
      expect(schedule.status).toBe(422);
    }
    for (const body of [[], "text", 42, null, { backupPort: { $gt: 1 } }, { __proto__: { admin: true } }]) expect((await api.call("POST", "/api/v1/runs", { token: both.secret, body })).status).toBe(422);
    expect((await api.call("POST", "/api/v1/runs", { token: both.secret, rawBody: "{not json" })).status).toBe(400);
    expect((await api.call("POST", "/api/v1/runs", { token: both.secret, rawBody: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await api.call("POST", "/api/v1/runs", { token: both.secret, rawBody: JSON.stringify({ backupPath: "/" + "a".repeat(300_000) }) })).status).toBe(413);
    expect(await db.restoreRun.count()).toBe(runs);
    expect(await db.schedule.count()).toBe(schedules);
  });

  it.each([
    "host=$(id)",
    "host=a&host=b",
    "tz=Mars/Olympus_Mons",
    "from=2026-13-01",
    "from=2026-03-10&to=2026-03-01",
    "status=pwned",
    "after=1_%27%20OR%201%3D1",
    "schedule=../../etc",
  ])("should refuse the query %s with 422", async (query) => {
    const read = await token(user, ["read"]);
    const res = await api.call("GET", `/api/v1/runs?${query}`, { token: read.secret });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("should refuse bad statistics ranges with 422", async () => {
    const read = await token(user, ["read"]);
    for (const query of ["from=2020-01-01&to=2026-01-01", "tz=Nowhere/City", "schedule=nosuchschedule"]) expect((await api.call("GET", `/api/v1/stats?${query}`, { token: read.secret })).status).toBe(422);
  });
});

describe("the audit trail", () => {
  it("should record every call, reads included, with the token's name and the address, and filter by token", async () => {
    const watcher = await token(user, ["read"], { name: "grafana" });
    await api.call("GET", "/api/v1/schedules", { token: watcher.secret });
    await api.call("GET", `/api/v1/runs/${missingRun}`, { token: watcher.secret });
    await api.call("POST", "/api/v1/runs", { token: watcher.secret, body: {} });
    const { auditPage } = await import("@/lib/audit/query");
    const { events } = await auditPage(db, null, 50, { token: watcher.id });
    const calls = events.filter((e) => e.action.startsWith("api.")).map((e) => ({ action: e.action, outcome: e.outcome, target: e.target, address: e.address, actor: e.actorEmail, token: (JSON.parse(e.details ?? "{}") as { token: string }).token }));
    expect(calls.reverse()).toEqual([
      { action: "api.schedules.list", outcome: "success", target: null, address: "198.51.100.7", actor: user.email, token: "grafana" },
      { action: "api.runs.get", outcome: "failure", target: missingRun, address: "198.51.100.7", actor: user.email, token: "grafana" },
      { action: "api.runs.start", outcome: "denied", target: null, address: "198.51.100.7", actor: user.email, token: "grafana" },
    ]);
    expect(events.every((e) => e.apiTokenId === watcher.id)).toBe(true);
  });
});

describe("metrics", () => {
  it("should expose per-schedule verdicts, run counters and open runs in a format a Prometheus parser reads", async () => {
    const scrape = await token(user, ["metrics"]);
    const s = await db.schedule.create({
      data: { name: `Metrics "quoted" ${randomBytes(2).toString("hex")}`, jobName: `restore-drill-schedule-m${randomBytes(3).toString("hex")}`, ownerEmail: user.email, parameters: JSON.stringify(fx.params("/x/pass.sql")), frequency: "daily", time: "02:00", timeZone: "UTC", notifyEmails: "", createdByEmail: user.email, updatedByEmail: user.email },
    });
    const base = { source: "schedule", scheduleId: s.id, parameters: "{}", backupHost: "db1", backupPath: "/x", dbType: "mysql", jobName: s.jobName };
    const passedAt = new Date("2026-03-01T02:10:00Z");
    await db.restoreRun.create({ data: { ...base, status: "passed", createdAt: new Date("2026-03-01T02:00:00Z"), finishedAt: passedAt, durationMs: 600_000, totalRows: 1234n, backupBytes: 4096n } });
    await db.restoreRun.create({ data: { ...base, status: "failed", createdAt: new Date("2026-03-02T02:00:00Z"), finishedAt: new Date("2026-03-02T02:05:00Z"), durationMs: 300_000, totalRows: null, backupBytes: 2048n } });
    await db.restoreRun.create({ data: { ...base, status: "queued", createdAt: new Date() } });

    const res = await api.call("GET", "/metrics", { token: scrape.secret });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text());
    const family = (name: string) => families.find((f) => f.name === name)!;
    const mine = (name: string) => family(name).metrics.filter((m) => m.labels?.schedule_id === s.id);
    expect(mine("restore_drill_schedule_last_verdict").map((m) => [m.labels!.verdict, m.value])).toEqual(expect.arrayContaining([["failed", "1"], ["passed", "0"]]));
    expect(mine("restore_drill_schedule_last_verdict")[0]!.labels!.schedule).toBe(s.name);
    expect(mine("restore_drill_schedule_last_passed_timestamp_seconds")[0]!.value).toBe(String(passedAt.getTime() / 1000));
    expect(mine("restore_drill_schedule_last_duration_seconds")[0]!.value).toBe("300");
    expect(mine("restore_drill_schedule_last_backup_bytes")[0]!.value).toBe("2048");
    expect(mine("restore_drill_schedule_last_rows")).toEqual([]);
    expect(Number(mine("restore_drill_schedule_last_test_age_seconds")[0]!.value)).toBeGreaterThan(0);
    expect(family("restore_drill_runs_total").type).toBe("COUNTER");
    expect(Number(family("restore_drill_runs_total").metrics.find((m) => m.labels!.verdict === "passed")!.value)).toBeGreaterThanOrEqual(1);
    expect(Number(family("restore_drill_runs_open").metrics.find((m) => m.labels!.state === "queued")!.value)).toBeGreaterThanOrEqual(1);
    expect(family("restore_drill_reconciler_last_success_timestamp_seconds").metrics).toHaveLength(1);
    // A read token is not a scrape token.
    expect((await api.call("GET", "/metrics", { token: (await token(user, ["read"])).secret })).status).toBe(403);
  });
});

describe("the token itself", () => {
  it("should never be stored, logged or audited in clear", async () => {
    expect(issued.length).toBeGreaterThan(50);
    const tables = await db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'");
    let dump = "";
    for (const { name } of tables) dump += JSON.stringify(await db.$queryRawUnsafe(`SELECT * FROM "${name}"`), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(dump).toContain("rdt_");
    for (const secret of issued) {
      const body = secret.slice(4);
      expect(dump.includes(body)).toBe(false);
      expect(logged.some((line) => line.includes(body))).toBe(false);
    }
  });

  it("should answer every call with a documented status and body", () => {
    expect(api.validated).toBeGreaterThan(150);
  });
});
