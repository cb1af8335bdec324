import { promises as fs } from "node:fs";
import path from "node:path";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { checkConnection, connectionCheckSchema } from "@/lib/pipeline/connection-check";
import { startRun } from "@/lib/runs/start-run";
import { runParametersSchema } from "@/lib/validation/run";
import type { TestDatabase } from "@/tests/support/databases";
import { runOk } from "@/tests/support/servers/process";
import type { SampleFactory } from "@/tests/support/servers/samples";
import type { SshdServer } from "@/tests/support/servers/sshd";
import { startRealPipeline, type RealPipeline } from "../jenkins/real-pipeline-fixture";
import { closedRunView, makeUser } from "./support";

// Issue 14's backup selection and issue 19's "Test connection" through the real JJB jobs
// provisioned into the emulator (real sshd, real MariaDB): a run over a directory and a pattern
// restores the newest file and the run page's view shows it; a stale one fails BACKUP_STALE;
// the check job answers for a file, a pattern, a missing file and a wrong host key.

jest.setTimeout(300_000);

const SSH_ID = "selection-ssh";

let fx: RealPipeline;
let jenkins: JenkinsAdapter;
let sshd: SshdServer;
let samples: SampleFactory;
let t: TestDatabase;
let portalUrl: string;
let dir: string;

beforeAll(async () => {
  fx = await startRealPipeline("run-select", SSH_ID);
  ({ jenkins, sshd, samples, t, portalUrl } = fx);
  const first = await samples.make("mysqldump", [{ name: "orders", rows: 5 }], "sel-a.sql");
  const second = await samples.make("mysqldump", [{ name: "orders", rows: 8 }], "sel-b.sql");
  dir = path.join(path.dirname(first), "rotating");
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.copyFile(first, path.join(dir, "shop-2026-12-01.sql"));
  await fs.copyFile(second, path.join(dir, "shop-2026-12-02.sql"));
  await runOk("touch", ["-d", "2 days ago", path.join(dir, "shop-2026-12-01.sql")]);
  await runOk("touch", ["-d", "30 hours ago", path.join(dir, "shop-2026-12-02.sql")]);
});

afterAll(() => fx?.stop());

const base = () => ({
  backupHost: sshd.host,
  backupPort: sshd.port,
  backupHostKey: sshd.hostPublicKey,
  sshCredentialId: SSH_ID,
});

async function runToEnd(extra: Record<string, unknown>) {
  const params = runParametersSchema.parse({ ...base(), dbType: "mysql", ...extra });
  const { runId } = await startRun({ db: t.db, jenkins, portalUrl }, await makeUser(t.db), params);
  return closedRunView(t.db, runId);
}

it("should restore the newest match and show the file, its age and the match count; stale against 26 h", async () => {
  const view = await runToEnd({ backupPath: dir, backupPattern: "shop-*.sql", maxBackupAgeHours: 26 });
  expect(view).toMatchObject({ status: "failed", reasonCode: "BACKUP_STALE", failedStage: "decrypt", totalRows: 8 });
  expect(view.reason).toMatch(/over the limit of 26 h; the old file itself restores/);
  expect(view.selection).toMatchObject({ file: path.join(dir, "shop-2026-12-02.sql"), matches: 2, stale: true, restores: true });

  const fresh = await runToEnd({ backupPath: dir, backupPattern: "shop-%Y-%m-%d.sql", maxBackupAgeHours: 48 });
  expect(fresh).toMatchObject({ status: "passed", totalRows: 8 });
  expect(fresh.selection).toMatchObject({ file: path.join(dir, "shop-2026-12-02.sql"), stale: false, nameDate: "2026-12-02T00:00:00Z" });
});

describe("Test connection (restore-drill-check)", () => {
  const check = (extra: Record<string, unknown>) =>
    checkConnection({ db: t.db, jenkins }, connectionCheckSchema.parse({ ...base(), ...extra }));

  it("should find an exact file and the newest match of a pattern", async () => {
    const exact = await check({ backupPath: path.join(dir, "shop-2026-12-01.sql") });
    expect(exact).toMatchObject({ ok: true, reasonCode: "OK" });
    expect(exact.message).toContain("shop-2026-12-01.sql");
    const pattern = await check({ backupPath: dir, backupPattern: "shop-*.sql" });
    expect(pattern.ok).toBe(true);
    expect(pattern.message).toContain("shop-2026-12-02.sql (newest of 2 matching)");
  });

  it("should name what is wrong: a missing file, no match, a wrong host key", async () => {
    expect(await check({ backupPath: path.join(dir, "nope.sql") })).toMatchObject({ ok: false, reasonCode: "FILE_MISSING" });
    expect(await check({ backupPath: dir, backupPattern: "none-*.sql" })).toMatchObject({ ok: false, reasonCode: "BACKUP_MISSING" });
    const wrongKey = await check({
      backupPath: dir,
      backupHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOV2ADn0Qm1zvmEx4Ue2ZUnqlAfrkjh6TJE5N9QkDIDm",
    });
    expect(wrongKey).toMatchObject({ ok: false, reasonCode: "HOST_KEY_MISMATCH" });
  });
});
