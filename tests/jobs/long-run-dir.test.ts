/**
 * A RUN_DIR too long for a unix socket: deploy falls back to a loopback TCP
 * port. mariadbd still opens a socket, so it must get a short one (a private
 * directory under /tmp) that destroy removes; PostgreSQL runs without one.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { SampleFactory, type SampleFormat, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv } from "./helpers/drill";
import { describeFailure, destroyRun, expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

const TABLES: SampleTable[] = [{ name: "accounts", rows: 7 }];

let work: string;
let longDir: string;
let sshd: SshdServer;
let samples: SampleFactory;

beforeAll(async () => {
  work = await makeTempDir("rdj-longdir");
  // Well past the ~107-byte sun_path limit before the sandbox's own suffix.
  longDir = path.join(work, "a-run-directory-with-a-deliberately-long-name-".repeat(3));
  await fs.mkdir(longDir, { mode: 0o755 });
  [sshd, samples] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples"))]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), samples?.stop()]);
  await removeDir(work);
});

const cases: { dbType: string; format: SampleFormat }[] = [
  { dbType: "mysql", format: "mysqldump" },
  { dbType: "postgresql", format: "pg-plain" },
];

describe("deploy with a long RUN_DIR", () => {
  it.each(cases)("should deploy, restore and destroy $dbType over loopback TCP and leave nothing behind", async ({ dbType, format }) => {
    const backupPath = await samples.make(format, TABLES, `long-${dbType}.bin`);
    const env = drillEnv({ workDir: longDir, id: dbType, sshd, backupPath, dbType });
    const runDir = env.RUN_DIR as string;
    const reportDir = env.REPORT_DIR as string;
    expect(Buffer.byteLength(path.join(runDir, "sandbox", "mysqld.sock"))).toBeGreaterThan(110);
    let socketDir: string | null = null;
    try {
      for (const stage of ["pipeline-start", "deploy", "decrypt", "restore"] as const) {
        const result = await runStage(stage, env);
        expect({ stage, code: result.code, log: result.code ? describeFailure(result) : "" }).toMatchObject({ stage, code: 0 });
        if (stage === "deploy") {
          const handle = JSON.parse(await fs.readFile(path.join(runDir, "sandbox/handle.json"), "utf8")) as { socketDir: string | null };
          socketDir = handle.socketDir;
          if (dbType === "mysql") {
            expect(socketDir).toMatch(/^\/tmp\/rd-sock\.[A-Za-z0-9]{10}$/);
            expect(Buffer.byteLength(path.join(socketDir as string, "mysqld.sock"))).toBeLessThan(100);
            expect((await fs.stat(socketDir as string)).isDirectory()).toBe(true);
          } else {
            expect(socketDir).toBeNull();
          }
          expect((await readStageRecord(reportDir, "deploy")).facts).toMatchObject({ endpoint: expect.stringMatching(/^tcp:127\.0\.0\.1:\d+$/) });
        }
      }
      const destroy = await runStage("destroy", env);
      expect(destroy.code).toBe(0);
      await expectNothingLeft(runDir);
      if (socketDir) await expect(fs.stat(socketDir)).rejects.toThrow(/ENOENT/);
      expect((await runStage("report", env)).code).toBe(0);
      const report = await readReport(reportDir);
      expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK", totalRows: 7 });
    } finally {
      await destroyRun(runDir, reportDir);
      if (socketDir) await removeDir(socketDir);
    }
  });

  it("should remove the short socket directory when the MariaDB server never comes up", async () => {
    const env = { RUN_DIR: path.join(longDir, "run-half"), REPORT_DIR: path.join(longDir, "report-half") };
    const deploy = await runStage("deploy", { ...env, DB_TYPE: "mysql", RD_MARIADB_SERVER: "/bin/false" });
    expect(deploy.reason).toBe("SANDBOX_START_FAILED");
    const socketDir = (await fs.readFile(path.join(env.RUN_DIR, "sandbox/socket-dir"), "utf8")).trim();
    expect(socketDir).toMatch(/^\/tmp\/rd-sock\./);
    await expect(fs.stat(socketDir)).rejects.toThrow(/ENOENT/);
    expect((await runStage("destroy", env)).code).toBe(0);
    await expectNothingLeft(env.RUN_DIR);
  });
});
