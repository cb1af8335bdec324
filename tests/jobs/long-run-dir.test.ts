/**
 * A Jenkins-like workspace of 200 characters, RUN_DIR restore-run-10 under it
 * (issue 13: from the tenth run on the path no longer fits a unix socket).
 * Every socket the pipeline creates must still work: deploy falls back to a
 * loopback TCP port; mariadbd still opens a socket, so it gets a short one (a
 * private directory under /tmp) that destroy removes; PostgreSQL runs
 * without one; gpg-agent's sockets live in a short private GNUPGHOME.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { makeTempDir, processesMentioning, removeDir } from "@/tests/support/servers/process";
import { gzipFile, SampleFactory, type SampleFormat, type SampleTable } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv } from "./helpers/drill";
import { describeFailure, destroyRun, expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

const TABLES: SampleTable[] = [{ name: "accounts", rows: 7 }];

const WORKSPACE_LENGTH = 200;

let work: string;
let longDir: string;
let sshd: SshdServer;
let samples: SampleFactory;
let key: GpgKey;

beforeAll(async () => {
  work = await makeTempDir("rdj-longdir");
  // A workspace path of exactly 200 characters, like a deep Jenkins job folder.
  const filler = "workspace-of-a-deeply-nested-jenkins-folder-job/";
  longDir = work + "/";
  while (longDir.length < WORKSPACE_LENGTH) longDir += filler;
  longDir = longDir.slice(0, WORKSPACE_LENGTH).replace(/\/+$/, "x");
  await fs.mkdir(longDir, { recursive: true, mode: 0o755 });
  for (let dir = longDir; dir.startsWith(work) && dir !== work; dir = path.dirname(dir)) await fs.chmod(dir, 0o755);
  [sshd, samples, key] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples")), createGpgKey(work, "long")]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), samples?.stop(), key && disposeGpgKey(key)]);
  await removeDir(work);
});

async function gpgHomes(): Promise<string[]> {
  const found: string[] = [];
  for (const base of ["/dev/shm", "/tmp"]) {
    const names = await fs.readdir(base).catch(() => [] as string[]);
    found.push(...names.filter((n) => n.startsWith("rd-gpg.")).map((n) => path.join(base, n)));
  }
  return found;
}

const cases: { dbType: string; format: SampleFormat }[] = [
  { dbType: "mysql", format: "mysqldump" },
  { dbType: "postgresql", format: "pg-plain" },
];

describe("the pipeline under a 200-character workspace", () => {
  it("should use a workspace path of exactly 200 characters", () => {
    expect(longDir).toHaveLength(WORKSPACE_LENGTH);
  });

  it.each(cases)(
    "should deploy, decrypt a GPG backup, restore and destroy $dbType and leave nothing behind",
    async ({ dbType, format }) => {
      const plain = await samples.make(format, TABLES, `long-${dbType}.bin`);
      await gzipFile(plain, `${plain}.gz`);
      await gpgEncrypt(key, `${plain}.gz`, `${plain}.gz.gpg`);
      const workspace = path.join(longDir, dbType);
      await fs.mkdir(workspace, { mode: 0o755 });
      const env = {
        ...drillEnv({ workDir: workspace, id: dbType, sshd, backupPath: `${plain}.gz.gpg`, dbType, gpgKey: key }),
        RUN_DIR: path.join(workspace, "restore-run-10"),
        REPORT_DIR: path.join(workspace, "restore-report"),
      };
      const runDir = env.RUN_DIR;
      const reportDir = env.REPORT_DIR;
      const homesBefore = await gpgHomes();
      expect(Buffer.byteLength(path.join(runDir, "sandbox", "mysqld.sock"))).toBeGreaterThan(200);
      let socketDir: string | null = null;
      try {
        for (const stage of ["pipeline-start", "decrypt", "deploy", "restore"] as const) {
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
            expect((await readStageRecord(reportDir, "deploy")).facts).toMatchObject({
              endpoint: expect.stringMatching(/^tcp:127\.0\.0\.1:\d+$/),
            });
          }
        }
        expect((await readStageRecord(reportDir, "decrypt")).facts).toMatchObject({ encrypted: true, compression: "gzip" });
        const destroy = await runStage("destroy", env);
        expect(destroy.code).toBe(0);
        await expectNothingLeft(runDir);
        // No keyring or agent outlives the run.
        const leftHomes = (await gpgHomes()).filter((h) => !homesBefore.includes(h));
        expect(leftHomes).toEqual([]);
        for (const home of leftHomes) expect(await processesMentioning(home)).toEqual([]);
        if (socketDir) await expect(fs.stat(socketDir)).rejects.toThrow(/ENOENT/);
        expect((await runStage("report", env)).code).toBe(0);
        const report = await readReport(reportDir);
        expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK", totalRows: 7 });
      } finally {
        await destroyRun(runDir, reportDir);
        if (socketDir) await removeDir(socketDir);
      }
    },
  );

  it("should remove the short socket directory when the MariaDB server never comes up", async () => {
    const env = { RUN_DIR: path.join(longDir, "restore-run-11"), REPORT_DIR: path.join(longDir, "report-half") };
    const deploy = await runStage("deploy", { ...env, DB_TYPE: "mysql", RD_MARIADB_SERVER: "/bin/false" });
    expect(deploy.reason).toBe("SANDBOX_START_FAILED");
    const socketDir = (await fs.readFile(path.join(env.RUN_DIR, "sandbox/socket-dir"), "utf8")).trim();
    expect(socketDir).toMatch(/^\/tmp\/rd-sock\./);
    await expect(fs.stat(socketDir)).rejects.toThrow(/ENOENT/);
    expect((await runStage("destroy", env)).code).toBe(0);
    await expectNothingLeft(env.RUN_DIR);
  });
});
