/**
 * The connection check (scripts/check.sh, job restore-drill-check; issue 19 item 5) against a real
 * loopback sshd: host, host key, SSH key and the file (or a match for the pattern), nothing fetched.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, runOk } from "@/tests/support/servers/process";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(60_000);

let work: string;
let sshd: SshdServer;

beforeAll(async () => {
  work = await makeTempDir("rdj-check");
  await fs.chmod(work, 0o755);
  sshd = await startSshd();
  await fs.mkdir(path.join(work, "backups"), { mode: 0o755 });
  for (const [name, age] of [
    ["shop-1.sql.gz", "2 days ago"],
    ["shop-2.sql.gz", "1 hour ago"],
  ] as const) {
    await fs.writeFile(path.join(work, "backups", name), name);
    await runOk("touch", ["-d", age, path.join(work, "backups", name)]);
  }
});

afterAll(async () => {
  await sshd?.stop();
  await removeDir(work);
});

let n = 0;
async function check(extra: Record<string, string>) {
  const reportDir = path.join(work, `report-${++n}`);
  const result = await runStage("check", {
    REPORT_DIR: reportDir,
    BACKUP_HOST: sshd.host,
    BACKUP_PORT: String(sshd.port),
    BACKUP_HOST_KEY: sshd.hostPublicKey,
    SSH_CREDENTIAL_ID: "backup-ssh",
    SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
    SSH_USER: sshd.user,
    SSH_KEY_PASSPHRASE: "",
    ...extra,
  });
  return { result, record: await readStageRecord(reportDir, "check") };
}

it("should pass for an exact file, recording its size and modification time", async () => {
  const file = path.join(work, "backups", "shop-1.sql.gz");
  const { result, record } = await check({ BACKUP_PATH: file });
  expect(result.code).toBe(0);
  expect(record).toMatchObject({ status: "passed", reasonCode: "OK" });
  expect(record.facts.selection).toMatchObject({ file, matches: 1, bytes: 13, pattern: null });
});

it("should pass for a pattern, naming the newest match and how many matched", async () => {
  const { record } = await check({ BACKUP_PATH: path.join(work, "backups"), BACKUP_PATTERN: "shop-*.sql.gz" });
  expect(record).toMatchObject({ status: "passed" });
  expect(record.facts.selection).toMatchObject({ file: path.join(work, "backups", "shop-2.sql.gz"), matches: 2 });
});

it.each([
  ["a missing file", { BACKUP_PATH: "/nonexistent/backup.sql" }, "FILE_MISSING"],
  ["a pattern without a match", { BACKUP_PATTERN: "none-*.gz" }, "BACKUP_MISSING"],
  ["a wrong host key", { BACKUP_HOST_KEY: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOV2ADn0Qm1zvmEx4Ue2ZUnqlAfrkjh6TJE5N9QkDIDm" }, undefined],
])("should fail for %s with the reason decrypt would give", async (_what, extra, code) => {
  const { result, record } = await check({ BACKUP_PATH: path.join(work, "backups"), ...extra });
  expect(result.code).not.toBe(0);
  expect(record.status).not.toBe("passed");
  if (code) expect(record.reasonCode).toBe(code);
  else expect(record.reasonCode).toMatch(/HOST_KEY/);
});
