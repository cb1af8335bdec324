/**
 * Backup selection (scripts/lib/select.sh) against a real loopback sshd: the newest match by
 * modification time or by the date in the name, BACKUP_MISSING, the age against the limit, and
 * hostile patterns that are refused, with a marker file proving nothing ran on the SSH host.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run, runOk } from "@/tests/support/servers/process";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { nodeEnv, SCRIPTS } from "./helpers/stages";

const SELECT = `set -euo pipefail
source "${SCRIPTS}/lib/common.sh"; source "${SCRIPTS}/lib/stream.sh"; source "${SCRIPTS}/lib/select.sh"
RD_WORK=$(mktemp -d); trap 'rm -rf -- "$RD_WORK"' EXIT
rd_select_backup
cat "$RD_WORK/selection.json"`;

let sshd: SshdServer;
let dir: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = await makeTempDir("rd-select-");
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  if (dir) await removeDir(dir);
});

async function select(backupPath: string, pattern: string, extra: Record<string, string> = {}) {
  const env = {
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_PATH: backupPath,
    BACKUP_PATTERN: pattern,
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
    SSH_USER: sshd.user,
    ...extra,
  };
  const result = await run("bash", ["-c", SELECT], { env: nodeEnv(env) });
  const reason = /RESTORE_DRILL_REASON=([A-Z0-9_]+)/.exec(result.stderr)?.[1];
  return { ...result, reason, selection: result.code === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>) : null };
}

async function file(sub: string, name: string, touchDate: string, content = "x"): Promise<string> {
  const full = path.join(dir, sub, name);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, content);
  await runOk("touch", ["-d", touchDate, full]);
  return full;
}

describe("backup selection over SSH", () => {
  it("should pick the newest match by modification time and record file, size, mtime and match count", async () => {
    await file("ages", "shop-a.sql.gz", "3 days ago");
    await file("ages", "shop-b.sql.gz", "2 hours ago", "newest!");
    await file("ages", "shop-c.sql.gz", "1 day ago");
    await file("ages", "other-z.sql.gz", "1 minute ago");
    const result = await select(path.join(dir, "ages"), "shop-*.sql.gz");
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.selection).toMatchObject({ file: path.join(dir, "ages", "shop-b.sql.gz"), bytes: 7, matches: 3, stale: false });
    expect(Number(result.selection!.ageSeconds)).toBeGreaterThanOrEqual(7200);
  });

  it("should fail BACKUP_MISSING naming the directory and the pattern when nothing matches", async () => {
    const result = await select(path.join(dir, "ages"), "nothing-*.sql.gz");
    expect(result.code).not.toBe(0);
    expect(result.reason).toBe("BACKUP_MISSING");
    expect(result.stderr).toContain(path.join(dir, "ages"));
    expect(result.stderr).toContain("nothing-\\*.sql.gz");
  });

  it("should fail BACKUP_MISSING when the directory does not exist", async () => {
    expect((await select(path.join(dir, "no-such-dir"), "*.gz")).reason).toBe("BACKUP_MISSING");
  });

  it("should flag the newest file stale when it is older than the limit", async () => {
    await file("stale", "db-1.sql", "30 hours ago");
    const result = await select(path.join(dir, "stale"), "db-*.sql", { MAX_BACKUP_AGE_HOURS: "26" });
    expect(result.selection).toMatchObject({ stale: true, maxAgeHours: 26, matches: 1 });
    const fresh = await select(path.join(dir, "stale"), "db-*.sql", { MAX_BACKUP_AGE_HOURS: "48" });
    expect(fresh.selection).toMatchObject({ stale: false, maxAgeHours: 48 });
  });

  it("should pick by the date in the name across a DST change in the schedule's time zone", async () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 → 02:00. The mtimes lie on purpose.
    await file("dst", "shop-2026-10-24-23.sql", "1 minute ago");
    await file("dst", "shop-2026-10-25-02.sql", "3 days ago");
    await file("dst", "shop-2026-10-25-01.sql", "2 minutes ago");
    await file("dst", "shop-notadate.sql", "now");
    const result = await select(path.join(dir, "dst"), "shop-%Y-%m-%d-%H.sql", { BACKUP_TIME_ZONE: "Europe/Berlin" });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.selection).toMatchObject({ file: path.join(dir, "dst", "shop-2026-10-25-02.sql"), matches: 3 });
  });

  it.each(["*;id", "$(id)", "`id`", "../*", "a\nid", "x' ; touch m '", "*|id"])(
    "should refuse the hostile pattern %j before connecting, and nothing runs on the host",
    async (pattern) => {
      const marker = path.join(dir, "hostile", "marker");
      await file("hostile", "backup.sql", "1 hour ago");
      const payload = pattern.replace(/id/g, `touch ${marker}`);
      const result = await select(path.join(dir, "hostile"), payload);
      expect(result.reason).toBe("INVALID_BACKUP_PATTERN");
      await expect(fs.access(marker)).rejects.toThrow();
    },
  );

  it("should keep a hostile directory inert: it reaches find as a value, never as shell text", async () => {
    const marker = path.join(dir, "marker-dir");
    const result = await select(`${dir}/$(touch ${marker})`, "*.sql");
    expect(result.reason).not.toBe(undefined);
    await expect(fs.access(marker)).rejects.toThrow();
  });
});
