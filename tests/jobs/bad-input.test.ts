/**
 * Bad parameters are refused before anything runs, each with its reason
 * code, and no parameter value is ever evaluated by a shell: every value
 * below would create a marker file if it were.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run } from "@/tests/support/servers/process";
import { asArray, at, renderJobs, type XmlNode } from "./helpers/render";
import { nodeEnv, readReport, runStage, type StageScript } from "./helpers/stages";

jest.setTimeout(120_000);

let work: string;
let marker: string;

beforeAll(async () => {
  work = await makeTempDir("rdj-bad");
  marker = path.join(work, "pwned");
});

afterAll(async () => {
  await removeDir(work);
});

function hostile(): string[] {
  return [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `; touch ${marker}`,
    `x\ntouch ${marker}`,
    `' ; touch ${marker} #`,
    `" ; touch ${marker} #`,
    `-oProxyCommand=touch ${marker}`,
    `/ok || touch ${marker}`,
  ];
}

function validEnv(): Record<string, string> {
  return {
    RUN_DIR: path.join(work, "run"),
    REPORT_DIR: path.join(work, "report"),
    BACKUP_HOST: "backup.example.org",
    BACKUP_PORT: "22",
    BACKUP_PATH: "/var/backups/db.sql.gz",
    BACKUP_HOST_KEY: "",
    DB_TYPE: "sqlite",
    SANDBOX_PROVIDER: "local",
    SSH_CREDENTIAL_ID: "backup-ssh",
    GPG_CREDENTIAL_ID: "",
    NOTIFY_EMAIL: "ops@example.org",
    RUN_ID: "run-1",
    CALLBACK_URL: "",
    SSH_KEY_FILE: "/dev/null",
    SSH_USER: "backup",
  };
}

const cases: [StageScript, string, string][] = [
  ["pipeline-start", "BACKUP_HOST", "INVALID_HOST"],
  ["pipeline-start", "BACKUP_PORT", "INVALID_PORT"],
  ["pipeline-start", "BACKUP_PATH", "INVALID_PATH"],
  ["pipeline-start", "BACKUP_HOST_KEY", "INVALID_HOST_KEY"],
  ["pipeline-start", "DB_TYPE", "INVALID_DB_TYPE"],
  ["pipeline-start", "SANDBOX_PROVIDER", "INVALID_PROVIDER"],
  ["pipeline-start", "SSH_CREDENTIAL_ID", "INVALID_CREDENTIAL_ID"],
  ["pipeline-start", "GPG_CREDENTIAL_ID", "INVALID_CREDENTIAL_ID"],
  ["pipeline-start", "NOTIFY_EMAIL", "INVALID_EMAIL"],
  ["pipeline-start", "RUN_ID", "INVALID_RUN_ID"],
  ["pipeline-start", "CALLBACK_URL", "INVALID_CALLBACK_URL"],
  ["pipeline-start", "SCHEDULE_NAME", "INVALID_SCHEDULE_NAME"],
  ["pipeline-start", "REPORT_DIR", "INVALID_REPORT_DIR"],
  ["decrypt", "BACKUP_HOST", "INVALID_HOST"],
  ["decrypt", "BACKUP_PORT", "INVALID_PORT"],
  ["decrypt", "BACKUP_PATH", "INVALID_PATH"],
  ["decrypt", "BACKUP_HOST_KEY", "INVALID_HOST_KEY"],
  ["decrypt", "SSH_CREDENTIAL_ID", "INVALID_CREDENTIAL_ID"],
  ["decrypt", "GPG_CREDENTIAL_ID", "INVALID_CREDENTIAL_ID"],
  ["decrypt", "SSH_USER", "CREDENTIAL_NOT_BOUND"],
  ["decrypt", "RUN_DIR", "INVALID_RUN_DIR"],
  ["deploy", "DB_TYPE", "INVALID_DB_TYPE"],
  ["deploy", "SANDBOX_PROVIDER", "INVALID_PROVIDER"],
  ["deploy", "RUN_DIR", "INVALID_RUN_DIR"],
  ["deploy", "SANDBOX_RUN_AS", "INVALID_RUN_AS"],
  ["restore", "DB_TYPE", "INVALID_DB_TYPE"],
  ["restore", "RUN_DIR", "INVALID_RUN_DIR"],
  ["destroy", "RUN_DIR", "INVALID_RUN_DIR"],
  ["destroy", "REPORT_DIR", "INVALID_REPORT_DIR"],
];

describe("hostile parameter values", () => {
  it.each(cases)("%s should refuse a hostile %s with %s", async (script, name, reason) => {
    const results = await Promise.all(
      hostile().map((value, i) =>
        runStage(script, { ...validEnv(), REPORT_DIR: path.join(work, `report-${script}-${name}-${i}`), [name]: value }),
      ),
    );
    for (const [i, result] of results.entries()) {
      expect({ value: hostile()[i], code: result.code === 0 ? 0 : "non-zero", reason: result.reason }).toEqual({
        value: hostile()[i],
        code: "non-zero",
        reason,
      });
    }
    await expect(fs.stat(marker)).rejects.toThrow(/ENOENT/);
    await expect(fs.stat(path.join(work, "run"))).rejects.toThrow(/ENOENT/);
  });

  it("should refuse an aws provider as not supported yet", async () => {
    // mongodb is a database type now: tests/jobs/mongo-pipeline.test.ts covers its ENGINE_MISSING on the local provider.
    expect((await runStage("deploy", { ...validEnv(), SANDBOX_PROVIDER: "aws" })).reason).toBe("PROVIDER_UNSUPPORTED");
  });

  it("should ignore a hostile callback URL and RUN_ID in report and callback without failing", async () => {
    const reportDir = path.join(work, "report-cb");
    for (const value of hostile()) {
      expect((await runStage("report", { REPORT_DIR: reportDir, RUN_ID: value })).code).toBe(0);
      expect((await readReport(reportDir)).runId).toBeNull();
      const callback = await runStage("callback", { REPORT_DIR: reportDir, CALLBACK_URL: value, CALLBACK_SECRET: "s3cret" });
      expect(callback.code).toBe(0);
      expect(callback.stderr).toContain("WARNING");
    }
    await expect(fs.stat(marker)).rejects.toThrow(/ENOENT/);
  });

  it("should refuse the same values in the rendered pipeline XML's first shell step", async () => {
    const { jobs } = await renderJobs();
    const step = asArray(at(jobs["restore-drill-pipeline"], "builders", "hudson.tasks.Shell") as XmlNode[])[0];
    const stepFile = path.join(work, "pipeline-step.sh");
    await fs.writeFile(stepFile, String(step?.command), { mode: 0o700 });
    for (const name of ["BACKUP_HOST", "BACKUP_PATH", "SSH_CREDENTIAL_ID", "CALLBACK_URL"]) {
      for (const value of hostile()) {
        const env = nodeEnv({ ...validEnv(), [name]: value, WORKSPACE: work, JOB_NAME: "restore-drill-pipeline", BUILD_NUMBER: "1" });
        const result = await run(stepFile, [], { env, cwd: work });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/RESTORE_DRILL_REASON=INVALID_/);
      }
    }
    await expect(fs.stat(marker)).rejects.toThrow(/ENOENT/);
  });
});

describe("the SSH key's directories (ALLOWED_PATH_PREFIXES)", () => {
  const decrypt = (path: string, prefixes: string, i: number) =>
    runStage("decrypt", {
      ...validEnv(),
      REPORT_DIR: `${work}/report-prefix-${i}`,
      BACKUP_HOST: "127.0.0.1",
      BACKUP_PORT: "1",
      BACKUP_PATH: path,
      ALLOWED_PATH_PREFIXES: prefixes,
    });

  it("should refuse a path outside the directories before connecting", async () => {
    const cases: [string, string][] = [
      ["/etc/shadow", "/var/backups/"],
      ["/var/backups-old/db.sql", "/var/backups/"],
      ["/var/backups", "/var/backups/"],
      ["/srv/db.sql", "/var/backups/ /home/backup/"],
      ["/var/backups/db.sql", "/var/backups"],
      // A schedule job whose key may read nothing (lib/credentials/key-paths.ts NO_DIRECTORIES).
      ["/var/backups/db.sql", "none"],
    ];
    const results = await Promise.all(cases.map(([p, prefixes], i) => decrypt(p, prefixes, i)));
    expect(results.map((r) => r.reason)).toEqual(cases.map(() => "PATH_NOT_ALLOWED"));
  });

  it("should let a path inside one of them (or any path, without a list) go on past the check", async () => {
    const results = await Promise.all([
      decrypt("/var/backups/db.sql", "/var/backups/", 10),
      decrypt("/home/backup/x/db.sql", "/srv/ /home/backup/", 11),
      decrypt("/etc/shadow", "", 12),
      decrypt("/etc/shadow", "/", 13),
    ]);
    for (const r of results) expect(r.reason).not.toBe("PATH_NOT_ALLOWED");
    // It fails further on (nothing listens on port 1), never at the directory check.
    for (const r of results) expect(r.code).not.toBe(0);
  });
});
