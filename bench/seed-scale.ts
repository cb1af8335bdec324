/**
 * Seeds a database at "a year of real use" scale for bench/portal-scale.ts:
 *
 *   npx tsx bench/seed-scale.ts --url file:/tmp/scale.db | postgresql://… [--schedules 1000]
 *     [--runs 100000] [--audit 200000] [--seed 1] [--manager-email …] (password on stdin, else generated and printed)
 *
 * The database must be empty; it is migrated first (lib/db/migrate-database.ts, as tools do).
 * Everything comes from one seeded PRNG, so two seeds of the same size and `now` hold the same
 * rows (times are relative to `now`, so the newest runs are minutes old as on a live portal).
 * Rows go in as multi-row inserts in transactions (bench/support/bulk-insert.ts), in the
 * encodings Prisma uses; at the end Prisma reads a sample back, so a wrong encoding fails here.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashPassword } from "../lib/auth/password";
import { createDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate-database";
import { providerOf } from "../lib/db/provider";
import { DB_TYPES } from "../lib/pipeline/database-types";
import { openBulkInserter } from "./support/bulk-insert";

export interface ScaleSize {
  schedules: number;
  runs: number;
  audit: number;
}

export const DEFAULT_SIZE: ScaleSize = { schedules: 1000, runs: 100_000, audit: 200_000 };

export interface SeedResult {
  counts: {
    users: number;
    schedules: number;
    runs: number;
    auditEvents: number;
    runsByStatus: Record<string, number>;
    alarms: number;
    reports: number;
  };
  seconds: { schedules: number; runs: number; audit: number; analyze: number; total: number };
  /** Sample values the benchmark filters on (so filtered pages match real rows). */
  sample: { scheduleId: string; host: string; startedBy: string };
}

const DAY = 86_400_000;
const BATCH = 5000;

/** mulberry32: small, fast, good enough to make varied data reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  /** Picks by weight: [[value, weight], …]. */
  const weighted = <T>(table: readonly (readonly [T, number])[]): T => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [value, w] of table) if ((r -= w) < 0) return value;
    return table[table.length - 1]![0];
  };
  return { next, int, pick, weighted };
}

type Random = ReturnType<typeof prng>;

/** cuid-shaped ids ([a-z0-9], 25 chars) that sort like creation order, as the page cursors expect. */
function idMaker(random: Random, prefix: string) {
  let n = 0;
  return () => {
    n++;
    let tail = "";
    while (tail.length < 14) tail += Math.floor(random.next() * 36).toString(36);
    return `c${prefix}${n.toString(36).padStart(8, "0")}${tail}`.slice(0, 25);
  };
}

const SYSTEMS = [
  "billing",
  "crm",
  "orders",
  "inventory",
  "payroll",
  "analytics",
  "auth",
  "search",
  "catalog",
  "shipping",
  "ledger",
  "hr",
  "wiki",
  "support",
  "metrics",
  "events",
  "notify",
  "reports",
  "warehouse",
  "pricing",
];
const ENVS = ["prod", "staging", "dr", "eu", "us", "apac"];
const HOSTS = Array.from({ length: 12 }, (_, i) => `backup-${String(i + 1).padStart(2, "0")}.dc${(i % 3) + 1}.example.com`);
const ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "UTC"];
const FIRST = [
  "ann",
  "bob",
  "carla",
  "dmitri",
  "eve",
  "farid",
  "gina",
  "hiro",
  "ines",
  "jon",
  "kofi",
  "lena",
  "mateo",
  "nora",
  "omar",
  "pia",
  "quinn",
  "rosa",
  "sven",
  "tara",
  "uma",
  "viktor",
  "wen",
  "xavi",
  "yara",
  "zoe",
];
const TABLES = [
  "users",
  "orders",
  "order_items",
  "invoices",
  "payments",
  "customers",
  "products",
  "audit_log",
  "sessions",
  "events",
  "accounts",
  "shipments",
];
const FAILURES = [
  ["decrypt", "GPG_DECRYPT_FAILED", "gpg could not decrypt the backup: no secret key"],
  ["deploy", "SANDBOX_START_FAILED", "The sandbox database did not start within 120 s"],
  ["restore", "IMPORT_FAILED", "The import stopped at line 48213: syntax error"],
  ["restore", "INTEGRITY_FAILED", "CHECK TABLE reported 2 corrupt tables"],
  ["decrypt", "BACKUP_NOT_FOUND", "The backup file does not exist on the backup host"],
  ["validate", "SSH_AUTH_FAILED", "The backup host refused the SSH key"],
] as const;

export async function seedScale(
  url: string,
  manager: { email: string; password: string },
  size: ScaleSize = DEFAULT_SIZE,
  seed = 1,
  now = Date.now(),
): Promise<SeedResult> {
  const started = Date.now();
  await migrateDatabase(url);
  const db = createDb(url);
  const bulk = await openBulkInserter(url);
  try {
    if ((await db.restoreRun.count()) > 0 || (await db.schedule.count()) > 0)
      throw new Error("seed-scale: the database is not empty; give it a fresh one");
    const random = prng(seed);
    const lap = (() => {
      let t = Date.now();
      return () => {
        const s = (Date.now() - t) / 1000;
        t = Date.now();
        return s;
      };
    })();

    // --- users: one known manager, colleagues who start runs and sign in ---
    const otherHash = await hashPassword(randomBytes(18).toString("base64url"));
    const people = FIRST.flatMap((f) => [`${f}@example.com`, `${f}.ops@example.com`]).slice(0, 40);
    const userId = idMaker(random, "u");
    const users = [
      {
        id: userId(),
        email: manager.email,
        name: "Bench Manager",
        passwordHash: await hashPassword(manager.password),
        role: "manager" as const,
      },
      ...people.map((email, i) => ({
        id: userId(),
        email,
        name: email.split("@")[0]!,
        passwordHash: otherHash,
        role: i < 6 ? ("manager" as const) : ("user" as const),
      })),
    ];
    await bulk.insert(
      "User",
      users.map((u) => ({ ...u, createdAt: new Date(now - 400 * DAY), updatedAt: new Date(now - 400 * DAY) })),
    );
    lap();

    // --- schedules ---
    const scheduleId = idMaker(random, "s");
    const schedules = Array.from({ length: size.schedules }, (_, i) => {
      const system = SYSTEMS[i % SYSTEMS.length]!;
      const env = ENVS[Math.floor(i / SYSTEMS.length) % ENVS.length]!;
      const shard = String(Math.floor(i / (SYSTEMS.length * ENVS.length)) + 1).padStart(2, "0");
      const dbType = random.weighted([
        ["postgresql", 5],
        ["mysql", 4],
        ["sqlite", 1],
      ] as const);
      const frequency = random.weighted([
        ["daily", 70],
        ["weekly", 22],
        ["monthly", 8],
      ] as const);
      const name = `${system}-${env}-${shard} ${frequency}`;
      const slug = name.replace(/[^a-z0-9]+/g, "-");
      const owner = random.pick(users).email;
      const created = now - random.int(200, 420) * DAY;
      const host = random.pick(HOSTS);
      const parameters = {
        backupHost: host,
        backupPort: 22,
        backupPath: `/srv/backups/${system}/${env}/${system}-${shard}.${dbType === "mysql" ? "sql.gz" : dbType === "sqlite" ? "db.gz" : "dump"}.gpg`,
        backupHostKey: "",
        dbType,
        sshCredentialId: `ssh-${HOSTS.indexOf(host) % 4}`,
        gpgCredentialId: random.next() < 0.9 ? "gpg-backups" : "",
        sandboxProvider: "local",
        notifyEmail: `${system}-team@example.com`,
      };
      const roll = random.next();
      return {
        id: scheduleId(),
        name,
        jobName: `restore-drill-schedule-${slug}`,
        ownerEmail: owner,
        parameters: JSON.stringify(parameters),
        frequency,
        weekday: frequency === "weekly" ? random.int(0, 6) : null,
        dayOfMonth: frequency === "monthly" ? random.int(1, 28) : null,
        time: `${String(random.int(0, 23)).padStart(2, "0")}:${String(random.pick([0, 15, 30, 45])).padStart(2, "0")}`,
        timeZone: random.pick(ZONES),
        notifyEmails: parameters.notifyEmail,
        enabled: roll >= 0.03, // 3 % paused
        brokenReason: roll >= 0.03 && roll < 0.04 ? "The SSH key ssh-retired it uses was deleted" : null,
        missedSince: roll >= 0.04 && roll < 0.055 ? new Date(now - random.int(1, 3) * DAY) : null,
        drift: roll >= 0.055 && roll < 0.06 ? random.pick(["changed", "missing"]) : null,
        shrinkThresholdPct: random.pick([10, 20, 20, 20, 30]),
        shrinkFailsRun: random.next() < 0.3,
        activeSince: new Date(created),
        createdAt: new Date(created),
        createdByEmail: owner,
        updatedByEmail: owner,
        // for the runs below, not columns
        host,
        dbType,
      };
    });
    for (let i = 0; i < schedules.length; i += BATCH) {
      await bulk.insert(
        "Schedule",
        schedules.slice(i, i + BATCH).map(({ host: _h, dbType: _d, ...s }) => ({ ...s, updatedAt: s.createdAt })),
      );
    }
    const scheduleSeconds = lap();

    // --- runs: a year, oldest first so that build numbers climb per job ---
    const times = Array.from({ length: size.runs }, () => now - Math.floor(random.next() ** 0.97 * 365 * DAY)).sort((a, b) => a - b);
    const runId = idMaker(random, "r");
    const buildNumbers = new Map<string, number>();
    const byStatus: Record<string, number> = {};
    let alarms = 0;
    let reports = 0;
    const lastBytes = new Map<string, number>();
    for (let i = 0; i < times.length; i += BATCH) {
      const batch = times.slice(i, i + BATCH).map((createdAt, j) => {
        const index = i + j;
        const source = random.weighted([
          ["schedule", 85],
          ["portal", 13],
          ["jenkins", 2],
        ] as const);
        const schedule = source === "schedule" ? random.pick(schedules) : null;
        const scheduleParams = schedule ? (JSON.parse(schedule.parameters) as Record<string, unknown>) : null;
        const host = schedule?.host ?? random.pick(HOSTS);
        const dbType = schedule?.dbType ?? random.pick(DB_TYPES);
        const gpg = scheduleParams ? scheduleParams.gpgCredentialId !== "" : random.next() < 0.8;
        const jobName = schedule?.jobName ?? (gpg ? "restore-drill-pipeline-gpg" : "restore-drill-pipeline");
        const buildNumber = (buildNumbers.get(jobName) ?? 0) + 1;
        buildNumbers.set(jobName, buildNumber);
        const fresh = index >= times.length - 4; // the newest few are still going
        const status = fresh
          ? index === times.length - 1
            ? "queued"
            : "running"
          : random.weighted([
              ["passed", 850],
              ["failed", 80],
              ["could-not-verify", 55],
              ["aborted", 10],
              ["failed-to-start", 5],
            ] as const);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        const startedByEmail =
          source === "portal" ? random.pick(users).email : source === "jenkins" ? `${random.pick(FIRST)} (Jenkins)` : null;
        const backupPath =
          (scheduleParams?.backupPath as string | undefined) ?? `/srv/backups/adhoc/${random.pick(SYSTEMS)}-${random.int(1, 30)}.dump.gpg`;
        const key = schedule?.id ?? backupPath;
        const baseBytes = lastBytes.get(key) ?? random.int(5, 4000) * 1_048_576;
        // Backups mostly grow a little; now and then one shrinks (the alarm's case).
        const shrank = schedule !== null && status === "passed" && random.next() < 0.006;
        const bytes = Math.round(baseBytes * (shrank ? 0.5 + random.next() * 0.3 : 1 + random.next() * 0.004));
        lastBytes.set(key, bytes);
        const rows = Math.round(bytes / (random.int(180, 420) + 0.5));
        const durationMs = random.int(40, 1800) * 1000;
        const startedAt = status === "queued" || status === "failed-to-start" ? null : createdAt + random.int(1, 30) * 1000;
        const closed = status !== "queued" && status !== "running";
        const finishedAt = closed && startedAt ? startedAt + durationMs : null;
        const failure = status === "failed" ? random.pick(FAILURES) : null;
        const reasonCode =
          failure?.[1] ??
          (status === "could-not-verify"
            ? "NO_REPORT"
            : status === "aborted"
              ? "BUILD_ABORTED"
              : status === "failed-to-start"
                ? "TRIGGER_LOST"
                : status === "passed"
                  ? "OK"
                  : null);
        const reason =
          failure?.[2] ??
          (status === "could-not-verify"
            ? "The pipeline ended without a report"
            : status === "aborted"
              ? "Stopped in Jenkins"
              : status === "failed-to-start"
                ? "Jenkins did not take the trigger"
                : status === "passed"
                  ? "Restored and read every row"
                  : null);
        const hasReport = (status === "passed" || status === "failed") && startedAt !== null;
        if (hasReport) reports++;
        const tables = hasReport ? TABLES.slice(0, random.int(3, 8)) : [];
        const report = hasReport
          ? JSON.stringify({
              schemaVersion: 1,
              generatedAt: new Date(finishedAt ?? createdAt).toISOString(),
              runId: null,
              verdict: status,
              failedStage: failure?.[0] ?? null,
              reasonCode,
              reason,
              jenkins: { job: jobName, build: buildNumber, url: `https://jenkins.example.com/job/${jobName}/${buildNumber}/` },
              backup: {
                host,
                port: 22,
                path: backupPath,
                dbType,
                bytes,
                sha256: null,
                encrypted: gpg,
                compression: "gzip",
                format: dbType === "mysql" ? "mysqldump" : dbType === "sqlite" ? "sqlite-db" : "pg-custom",
              },
              sandbox: {
                provider: "local",
                engine: dbType === "mysql" ? "mariadb" : dbType,
                version: dbType === "mysql" ? "10.11.6" : dbType === "sqlite" ? "3.40.1" : "15.8",
                startSeconds: 2.4,
              },
              stages: ["validate", "deploy", "decrypt", "restore", "destroy"].map((name) => ({
                name,
                status: failure && name === failure[0] ? "failed" : "passed",
                startedAt: null,
                finishedAt: null,
                reasonCode: null,
                reason: null,
              })),
              tables: tables.map((name, t) => ({ schema: "app", name, rows: Math.floor(rows / (t + 2)) })),
              totalRows: rows,
              integrity: {
                method: dbType === "mysql" ? "CHECK TABLE" : "read-all",
                result: status === "passed" ? "ok" : "failed",
                detail: null,
              },
            })
          : null;
        let alarm: string | null = null;
        if (shrank && schedule) {
          alarms++;
          const dropPct = Math.round((1 - bytes / baseBytes) * 100);
          alarm = JSON.stringify({
            mode: schedule.shrinkFailsRun ? "fail" : "warn",
            thresholdPct: schedule.shrinkThresholdPct,
            comparedWithRunId: "previous",
            drops: [{ kind: "backup-bytes", before: baseBytes, after: bytes, dropPct }],
            summary: `Backup is ${dropPct} % smaller than the last passed run`,
          });
        }
        const parameters = scheduleParams ?? {
          backupHost: host,
          backupPort: 22,
          backupPath,
          backupHostKey: "",
          dbType,
          sshCredentialId: "ssh-0",
          gpgCredentialId: gpg ? "gpg-backups" : "",
          sandboxProvider: "local",
          notifyEmail: "",
        };
        return {
          id: runId(),
          createdAt: new Date(createdAt),
          updatedAt: new Date(finishedAt ?? createdAt),
          source,
          startedByEmail,
          scheduleId: schedule?.id ?? null,
          parameters: JSON.stringify(parameters),
          backupHost: host,
          backupPath,
          dbType,
          jobName,
          queueId: 1000 + index,
          buildNumber: status === "failed-to-start" || status === "queued" ? null : buildNumber,
          buildUrl:
            status === "failed-to-start" || status === "queued" ? null : `https://jenkins.example.com/job/${jobName}/${buildNumber}/`,
          status,
          failedStage: failure?.[0] ?? null,
          reasonCode,
          reason,
          report,
          backupBytes: hasReport ? BigInt(bytes) : null,
          totalRows: hasReport ? BigInt(rows) : null,
          startedAt: startedAt === null ? null : new Date(startedAt),
          finishedAt: finishedAt === null ? null : new Date(finishedAt),
          durationMs: finishedAt && startedAt ? finishedAt - startedAt : null,
          alarm,
          callbackAt: hasReport && finishedAt ? new Date(finishedAt + 500) : null,
        };
      });
      await bulk.insert("RestoreRun", batch);
    }
    const runSeconds = lap();

    // --- audit trail ---
    const auditId = idMaker(random, "a");
    const ACTIONS = [
      ["auth.sign-in", 55],
      ["run.callback", 14],
      ["run.start", 12],
      ["schedule.run-now", 2],
      ["schedule.update", 1.5],
      ["schedule.create", 0.6],
      ["schedule.missed", 0.6],
      ["run.stop", 0.5],
      ["results.export", 1],
      ["audit.export", 0.3],
      ["user.add", 0.2],
      ["user.change-role", 0.1],
      ["user.reset-password", 0.1],
      ["credential.add", 0.2],
      ["credential.delete", 0.05],
      ["schedule.delete", 0.1],
    ] as const;
    const auditTimes = Array.from({ length: size.audit }, () => now - Math.floor(random.next() * 365 * DAY)).sort((a, b) => a - b);
    for (let i = 0; i < auditTimes.length; i += BATCH) {
      await bulk.insert(
        "AuditEvent",
        auditTimes.slice(i, i + BATCH).map((at) => {
          const action = random.weighted(ACTIONS);
          const actor = random.pick(users);
          const outcome =
            action === "auth.sign-in"
              ? random.weighted([
                  ["success", 85],
                  ["failure", 15],
                ] as const)
              : random.weighted([
                  ["success", 98],
                  ["denied", 1.5],
                  ["failure", 0.5],
                ] as const);
          const system = action === "run.callback" ? null : actor;
          return {
            id: auditId(),
            at: new Date(at),
            actorId: system?.id ?? null,
            actorEmail: system?.email ?? null,
            action,
            target: action.startsWith("schedule.")
              ? random.pick(schedules).name
              : action.startsWith("run.")
                ? `run ${random.int(1, size.runs)}`
                : action.startsWith("user.")
                  ? random.pick(users).email
                  : null,
            outcome,
            details: action === "auth.sign-in" && outcome === "failure" ? JSON.stringify({ reason: "wrong password" }) : null,
            address: `10.${random.int(0, 3)}.${random.int(0, 255)}.${random.int(1, 254)}`,
          };
        }),
      );
    }
    const auditSeconds = lap();

    // A long-running PostgreSQL has statistics and a visibility map (autovacuum); give the fresh one the
    // same. SQLite only has statistics when someone runs ANALYZE, and the portal never does, so it
    // is measured without — as deployed.
    if (providerOf(url) === "postgresql") {
      await db.$executeRawUnsafe("VACUUM ANALYZE");
      // Write the freshly loaded pages out now, not in a checkpoint during the page views
      // (needs superuser or pg_checkpoint; without it the server's own checkpoint will do).
      await db.$executeRawUnsafe("CHECKPOINT").catch(() => undefined);
    }
    const analyzeSeconds = lap();

    // Read back through Prisma: a value in the wrong encoding would fail or mismatch here.
    const portalRun = await db.restoreRun.findFirst({
      where: { source: "portal", backupBytes: { not: null } },
      orderBy: { createdAt: "desc" },
      select: { startedByEmail: true, createdAt: true, backupBytes: true },
    });
    const newest = await db.restoreRun.findFirst({ orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    if (!portalRun || typeof portalRun.backupBytes !== "bigint" || newest?.createdAt.getTime() !== times.at(-1))
      throw new Error("seed-scale: Prisma does not read the seeded rows back as written");
    if ((await db.auditEvent.count({ where: { at: { gte: new Date(now - 30 * DAY) } } })) === 0)
      throw new Error("seed-scale: audit dates are not comparable through Prisma");
    return {
      counts: {
        users: users.length,
        schedules: schedules.length,
        runs: times.length,
        auditEvents: auditTimes.length,
        runsByStatus: byStatus,
        alarms,
        reports,
      },
      seconds: {
        schedules: scheduleSeconds,
        runs: runSeconds,
        audit: auditSeconds,
        analyze: analyzeSeconds,
        total: (Date.now() - started) / 1000,
      },
      sample: { scheduleId: schedules[0]!.id, host: HOSTS[0]!, startedBy: portalRun?.startedByEmail ?? manager.email },
    };
  } finally {
    await bulk.close();
    await db.$disconnect();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      schedules: { type: "string", default: String(DEFAULT_SIZE.schedules) },
      runs: { type: "string", default: String(DEFAULT_SIZE.runs) },
      audit: { type: "string", default: String(DEFAULT_SIZE.audit) },
      seed: { type: "string", default: "1" },
      "manager-email": { type: "string", default: "bench@restore-drill.test" },
    },
  });
  const count = z.coerce.number().int().min(1).max(10_000_000);
  const args = z
    .object({
      url: z
        .string({ error: "--url is required (file:/path.db or postgresql://…)" })
        .refine((u) => /^(file:|postgres(ql)?:\/\/)/.test(u), "--url must start with file: or postgresql://"),
      schedules: count,
      runs: count,
      audit: count,
      seed: z.coerce.number().int(),
      "manager-email": z.email(),
    })
    .parse(values);
  const piped = !process.stdin.isTTY;
  let password = randomBytes(12).toString("base64url");
  if (piped) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8").trim();
    if (text) password = text;
  }
  const result = await seedScale(
    args.url,
    { email: args["manager-email"], password },
    { schedules: args.schedules, runs: args.runs, audit: args.audit },
    args.seed,
  );
  console.log(JSON.stringify({ counts: result.counts, seconds: result.seconds }, null, 2));
  if (!piped) console.log(`Manager ${args["manager-email"]}, password (shown once): ${password}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
