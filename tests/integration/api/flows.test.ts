import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { randomBytes } from "node:crypto";
import { eventually } from "../runs/support";
import { apiWorld, closingChecks } from "./world";

// The API's flows over the same domain functions as the pages: restores, logs, statistics,
// schedules, keys; hostile bodies and query strings; the audit trail; Prometheus metrics.

const w = apiWorld();
const missingRun = "zzzzzzzzzzzzzzzzzzzzzzzzz";

describe("restores, logs and statistics", () => {
  it("should start a restore, show it, page it by date in a time zone, cut its log by range and count it", async () => {
    const runner = await w.token(w.user, ["read", "run"], { name: "ci nightly" });
    const started = await w.api.call("POST", "/api/v1/runs", { token: runner.secret, body: w.fx.params(w.fx.backupPath("pass")) });
    expect(started.status).toBe(202);
    const { run } = (await started.json()) as { run: { id: string; url: string; status: string } };
    expect(run).toMatchObject({ status: "queued", url: `http://portal.test/runs/${run.id}` });
    expect(started.headers.get("location")).toBe(`/api/v1/runs/${run.id}`);

    const { reconcileOnce } = await import("@/lib/runs/reconcile");
    const done = await eventually(
      async () => {
        await reconcileOnce({ db: w.db, jenkins: w.fx.admin });
        const res = await w.api.call("GET", `/api/v1/runs/${run.id}`, { token: runner.secret });
        const body = (await res.json()) as { status: string; stages: unknown[]; totalRows: number | null };
        return body.status === "passed" ? body : null;
      },
      "the run to pass",
      60_000,
      300,
    );
    expect(done.totalRows).toBe(57);

    const whole = await w.api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret });
    expect(whole.status).toBe(200);
    const text = await whole.text();
    expect(text).toContain("restore-drill-restore #1 completed");
    const part = await w.api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=5-14" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe(Buffer.from(text).subarray(5, 15).toString());
    expect(part.headers.get("content-range")).toBe(`bytes 5-14/${Buffer.byteLength(text)}`);
    const tail = await w.api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=-7" } });
    expect(await tail.text()).toBe(Buffer.from(text).subarray(-7).toString());
    expect(
      (await w.api.call("GET", `/api/v1/runs/${run.id}/log`, { token: runner.secret, headers: { range: "bytes=99999999-" } })).status,
    ).toBe(416);

    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date());
    const listed = await w.api.call("GET", `/api/v1/runs?from=${today}&to=${today}&tz=Pacific/Kiritimati&status=passed`, {
      token: runner.secret,
    });
    const page = (await listed.json()) as { runs: { id: string }[]; next: string | null };
    expect(page.runs.map((r) => r.id)).toContain(run.id);
    const yesterdayOnly = await w.api.call("GET", `/api/v1/runs?from=2020-01-01&to=2020-01-02&tz=UTC`, { token: runner.secret });
    expect(((await yesterdayOnly.json()) as { runs: unknown[] }).runs).toEqual([]);

    const stats = await w.api.call("GET", `/api/v1/stats?from=${today}&to=${today}&tz=Pacific/Kiritimati`, { token: runner.secret });
    const body = (await stats.json()) as { totals: { passed: number; total: number; successRate: number | null } };
    expect(body.totals.passed).toBeGreaterThanOrEqual(1);
    expect(body.totals.successRate).not.toBeNull();

    expect((await w.api.call("POST", `/api/v1/runs/${run.id}/stop`, { token: runner.secret })).status).toBe(409);
  });

  it("should create, change, pause, resume, run and delete a schedule through the same rules as the form", async () => {
    const planner = await w.token(w.user, ["read", "schedules"]);
    const body = {
      ...w.fx.params(w.fx.backupPath("pass")),
      name: `Nightly ${randomBytes(2).toString("hex")}`,
      frequency: "daily",
      time: "02:30",
      timeZone: "Europe/Dublin",
    };
    const created = await w.api.call("POST", "/api/v1/schedules", { token: planner.secret, body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await w.api.call("POST", "/api/v1/schedules", { token: planner.secret, body })).status).toBe(409);
    const changed = await w.api.call("PATCH", `/api/v1/schedules/${id}`, { token: planner.secret, body: { time: "03:45" } });
    expect(((await changed.json()) as { when: { time: string } }).when.time).toBe("03:45");
    const bad = await w.api.call("PATCH", `/api/v1/schedules/${id}`, { token: planner.secret, body: { time: "25:99" } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: Record<string, string[]> }).errors.time).toBeDefined();
    expect(
      ((await (await w.api.call("POST", `/api/v1/schedules/${id}/pause`, { token: planner.secret })).json()) as { enabled: boolean })
        .enabled,
    ).toBe(false);
    expect((await w.api.call("POST", `/api/v1/schedules/${id}/run`, { token: planner.secret })).status).toBe(409);
    expect((await w.api.call("POST", `/api/v1/schedules/${id}/resume`, { token: planner.secret })).status).toBe(200);
    expect((await w.api.call("POST", `/api/v1/schedules/${id}/run`, { token: planner.secret })).status).toBe(202);
    const list = (await (await w.api.call("GET", "/api/v1/schedules", { token: planner.secret })).json()) as {
      schedules: { id: string }[];
    };
    expect(list.schedules.map((s) => s.id)).toContain(id);
    expect((await w.api.call("DELETE", `/api/v1/schedules/${id}`, { token: planner.secret })).status).toBe(204);
    expect((await w.api.call("GET", `/api/v1/schedules/${id}`, { token: planner.secret })).status).toBe(404);
  });

  it("should list keys by id, description and fingerprint only", async () => {
    const read = await w.token(w.user, ["read"]);
    const res = await w.api.call("GET", "/api/v1/credentials", { token: read.secret });
    const text = await res.text();
    expect(text).toContain("runs-test-ssh");
    expect(text).not.toMatch(/PRIVATE KEY|privateKey|passphrase/i);
  });
});

describe("keys", () => {
  it("should let a manager's admin token add and delete an SSH key, keeping the key out of the answer, trail and database", async () => {
    const { generateSshKeyPair } = await import("@/tests/support/keys");
    const pair = await generateSshKeyPair({ type: "ed25519", dir: w.fx.work });
    const admin = await w.token(w.manager, ["admin", "read"]);
    const id = `api-key-${randomBytes(3).toString("hex")}`;
    const added = await w.api.call("POST", "/api/v1/credentials", {
      token: admin.secret,
      body: { kind: "ssh", id, description: "added over the API", username: "backup", privateKey: pair.privateKey, passphrase: "" },
    });
    expect(added.status).toBe(201);
    const body = await added.text();
    expect(JSON.parse(body)).toMatchObject({ id, kind: "ssh", fingerprint: expect.stringMatching(/^SHA256:/) });
    const keyBody = pair.privateKey.split("\n")[1]!;
    expect(body).not.toContain(keyBody);
    expect(
      (
        await w.api.call("POST", "/api/v1/credentials", {
          token: admin.secret,
          body: { kind: "ssh", id, description: "again", username: "backup", privateKey: pair.privateKey, passphrase: "" },
        })
      ).status,
    ).toBe(409);
    const events = await w.db.auditEvent.findMany({ where: { action: { in: ["api.credentials.add", "credential.add"] } } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(events)).not.toContain(keyBody);
    expect(JSON.stringify(await w.db.credentialRef.findMany())).not.toContain(keyBody);
    expect(w.logged.some((line) => line.includes(keyBody))).toBe(false);
    expect((await w.api.call("DELETE", `/api/v1/credentials/${id}`, { token: admin.secret })).status).toBe(204);
    const list = (await (await w.api.call("GET", "/api/v1/credentials", { token: admin.secret })).json()) as {
      credentials: { id: string }[];
    };
    expect(list.credentials.map((c) => c.id)).not.toContain(id);
  });
});

describe("hostile input", () => {
  // The same values as the run form's test (tests/unit/runs/parameters.test.ts).
  const HOSTILE = ["$(touch /tmp/pwned)", "`id`", "; rm -rf ~", "a\nb", "'quoted'", '"dq"', "x|y", "x&y"];

  it("should refuse hostile bodies with 422 and field errors, writing nothing", async () => {
    const both = await w.token(w.user, ["run", "schedules"]);
    const runs = await w.db.restoreRun.count();
    const schedules = await w.db.schedule.count();
    for (const hostile of HOSTILE) {
      for (const field of ["backupHost", "backupPath", "sshCredentialId", "gpgCredentialId", "notifyEmail", "backupHostKey"]) {
        const value = field === "backupPath" ? `/srv/${hostile}` : hostile;
        const run = await w.api.call("POST", "/api/v1/runs", {
          token: both.secret,
          body: { ...w.fx.params(w.fx.backupPath("pass")), [field]: value },
        });
        expect({ field, hostile, status: run.status }).toEqual({ field, hostile, status: 422 });
        const problem = (await run.json()) as { errors: Record<string, string[]>; detail: string };
        expect(Object.keys(problem.errors)).toContain(field);
        expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|node_modules/);
      }
      const schedule = await w.api.call("POST", "/api/v1/schedules", {
        token: both.secret,
        body: {
          ...w.fx.params(w.fx.backupPath("pass")),
          name: `x${hostile}`,
          frequency: "daily",
          time: "02:30",
          timeZone: "Europe/Dublin",
        },
      });
      expect(schedule.status).toBe(422);
    }
    for (const body of [[], "text", 42, null, { backupPort: { $gt: 1 } }, { __proto__: { admin: true } }])
      expect((await w.api.call("POST", "/api/v1/runs", { token: both.secret, body })).status).toBe(422);
    expect((await w.api.call("POST", "/api/v1/runs", { token: both.secret, rawBody: "{not json" })).status).toBe(400);
    expect(
      (
        await w.api.call("POST", "/api/v1/runs", {
          token: both.secret,
          rawBody: "a=b",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        })
      ).status,
    ).toBe(415);
    expect(
      (await w.api.call("POST", "/api/v1/runs", { token: both.secret, rawBody: JSON.stringify({ backupPath: "/" + "a".repeat(300_000) }) }))
        .status,
    ).toBe(413);
    expect(await w.db.restoreRun.count()).toBe(runs);
    expect(await w.db.schedule.count()).toBe(schedules);
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
    const read = await w.token(w.user, ["read"]);
    const res = await w.api.call("GET", `/api/v1/runs?${query}`, { token: read.secret });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("should refuse bad statistics ranges with 422", async () => {
    const read = await w.token(w.user, ["read"]);
    for (const query of ["from=2020-01-01&to=2026-01-01", "tz=Nowhere/City", "schedule=nosuchschedule"])
      expect((await w.api.call("GET", `/api/v1/stats?${query}`, { token: read.secret })).status).toBe(422);
  });
});

describe("the audit trail", () => {
  it("should record every call, reads included, with the token's name and the address, and filter by token", async () => {
    const watcher = await w.token(w.user, ["read"], { name: "grafana" });
    await w.api.call("GET", "/api/v1/schedules", { token: watcher.secret });
    await w.api.call("GET", `/api/v1/runs/${missingRun}`, { token: watcher.secret });
    await w.api.call("POST", "/api/v1/runs", { token: watcher.secret, body: {} });
    const { auditPage } = await import("@/lib/audit/query");
    const { events } = await auditPage(w.db, null, 50, { token: watcher.id });
    const calls = events
      .filter((e) => e.action.startsWith("api."))
      .map((e) => ({
        action: e.action,
        outcome: e.outcome,
        target: e.target,
        address: e.address,
        actor: e.actorEmail,
        token: (JSON.parse(e.details ?? "{}") as { token: string }).token,
      }));
    expect(calls.reverse()).toEqual([
      { action: "api.schedules.list", outcome: "success", target: null, address: "198.51.100.7", actor: w.user.email, token: "grafana" },
      { action: "api.runs.get", outcome: "failure", target: missingRun, address: "198.51.100.7", actor: w.user.email, token: "grafana" },
      { action: "api.runs.start", outcome: "denied", target: null, address: "198.51.100.7", actor: w.user.email, token: "grafana" },
    ]);
    expect(events.every((e) => e.apiTokenId === watcher.id)).toBe(true);
  });
});

describe("metrics", () => {
  it("should expose per-schedule verdicts, run counters and open runs in a format a Prometheus parser reads", async () => {
    const scrape = await w.token(w.user, ["metrics"]);
    const s = await w.db.schedule.create({
      data: {
        name: `Metrics "quoted" ${randomBytes(2).toString("hex")}`,
        jobName: `restore-drill-schedule-m${randomBytes(3).toString("hex")}`,
        ownerEmail: w.user.email,
        parameters: JSON.stringify(w.fx.params("/x/pass.sql")),
        frequency: "daily",
        time: "02:00",
        timeZone: "UTC",
        notifyEmails: "",
        createdByEmail: w.user.email,
        updatedByEmail: w.user.email,
      },
    });
    const base = {
      source: "schedule",
      scheduleId: s.id,
      parameters: "{}",
      backupHost: "db1",
      backupPath: "/x",
      dbType: "mysql",
      jobName: s.jobName,
    };
    const passedAt = new Date("2026-03-01T02:10:00Z");
    const testedFileWritten = new Date("2026-03-01T20:00:00Z");
    await w.db.restoreRun.create({
      data: {
        ...base,
        status: "passed",
        createdAt: new Date("2026-03-01T02:00:00Z"),
        finishedAt: passedAt,
        durationMs: 600_000,
        totalRows: 1234n,
        backupBytes: 4096n,
      },
    });
    await w.db.restoreRun.create({
      data: {
        ...base,
        status: "failed",
        createdAt: new Date("2026-03-02T02:00:00Z"),
        finishedAt: new Date("2026-03-02T02:05:00Z"),
        durationMs: 300_000,
        totalRows: null,
        backupBytes: 2048n,
        // Only what the age metric reads: the modification time of the file decrypt chose.
        report: JSON.stringify({ backup: { selection: { mtime: testedFileWritten.toISOString() } } }),
      },
    });
    await w.db.restoreRun.create({ data: { ...base, status: "queued", createdAt: new Date() } });

    const scrapedFrom = Date.now();
    const res = await w.api.call("GET", "/metrics", { token: scrape.secret });
    const scrapedTo = Date.now();
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await res.text());
    const family = (name: string) => families.find((f) => f.name === name)!;
    const mine = (name: string) => family(name).metrics.filter((m) => m.labels?.schedule_id === s.id);
    expect(mine("restore_drill_schedule_last_verdict").map((m) => [m.labels!.verdict, m.value])).toEqual(
      expect.arrayContaining([
        ["failed", "1"],
        ["passed", "0"],
      ]),
    );
    expect(mine("restore_drill_schedule_last_verdict")[0]!.labels!.schedule).toBe(s.name);
    expect(mine("restore_drill_schedule_last_passed_timestamp_seconds")[0]!.value).toBe(String(passedAt.getTime() / 1000));
    expect(mine("restore_drill_schedule_last_duration_seconds")[0]!.value).toBe("300");
    expect(mine("restore_drill_schedule_last_backup_bytes")[0]!.value).toBe("2048");
    expect(mine("restore_drill_schedule_last_rows")).toEqual([]);
    expect(Number(mine("restore_drill_schedule_last_test_age_seconds")[0]!.value)).toBeGreaterThan(0);
    // The age of the backup last tested: now minus the tested file's modification time.
    const backupAge = Number(mine("restore_drill_schedule_last_backup_age_seconds")[0]!.value);
    expect(backupAge).toBeGreaterThanOrEqual(Math.floor((scrapedFrom - testedFileWritten.getTime()) / 1000) - 1);
    expect(backupAge).toBeLessThanOrEqual(Math.ceil((scrapedTo - testedFileWritten.getTime()) / 1000) + 1);
    expect(family("restore_drill_runs_total").type).toBe("COUNTER");
    expect(Number(family("restore_drill_runs_total").metrics.find((m) => m.labels!.verdict === "passed")!.value)).toBeGreaterThanOrEqual(1);
    expect(Number(family("restore_drill_runs_open").metrics.find((m) => m.labels!.state === "queued")!.value)).toBeGreaterThanOrEqual(1);
    expect(family("restore_drill_reconciler_last_success_timestamp_seconds").metrics).toHaveLength(1);
    // A read token is not a scrape token.
    expect((await w.api.call("GET", "/metrics", { token: (await w.token(w.user, ["read"])).secret })).status).toBe(403);
  });
});

describe("the token itself", () => {
  closingChecks(w, 10, 60);
});
