/**
 * destroy is idempotent, tolerates a deploy that never got far, refuses
 * foreign directories, and leaves no process or file behind.
 */
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, processesMentioning, removeDir } from "@/tests/support/servers/process";
import { describeFailure, expectNothingLeft, readReport, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

let work: string;

beforeAll(async () => {
  work = await makeTempDir("rdj-destroy");
});

afterAll(async () => {
  await removeDir(work);
});

function dirs(id: string) {
  return { RUN_DIR: path.join(work, `run-${id}`), REPORT_DIR: path.join(work, `report-${id}`) };
}

describe("destroy", () => {
  it("should succeed when the run directory never existed, twice", async () => {
    const env = dirs("never");
    for (let i = 0; i < 2; i++) expect((await runStage("destroy", env)).code).toBe(0);
    expect((await readStageRecord(env.REPORT_DIR, "destroy")).status).toBe("passed");
  });

  it.each(["mysql", "postgresql"])("should stop a running %s sandbox with all its processes and remove every file", async (dbType) => {
    const env = dirs(dbType);
    const deploy = await runStage("deploy", { ...env, DB_TYPE: dbType });
    expect(deploy.code).toBe(0);
    expect((await processesMentioning(env.RUN_DIR)).length).toBeGreaterThan(0);
    const handle = JSON.parse(await fs.readFile(path.join(env.RUN_DIR, "sandbox/handle.json"), "utf8")) as { pid: number };
    const destroy = await runStage("destroy", env);
    expect(destroy.code).toBe(0);
    await expectNothingLeft(env.RUN_DIR);
    // postgres backends do not name the data directory: check the whole session is gone.
    expect(() => process.kill(handle.pid, 0)).toThrow();
    expect((await runStage("destroy", env)).code).toBe(0);
  });

  it("should clean up after a deploy that failed half-way", async () => {
    const env = dirs("half");
    const deploy = await runStage("deploy", { ...env, DB_TYPE: "mysql", RD_MARIADB_SERVER: "/bin/false" });
    expect(deploy.reason).toBe("SANDBOX_START_FAILED");
    expect((await runStage("destroy", env)).code).toBe(0);
    await expectNothingLeft(env.RUN_DIR);
  });

  it("should kill a leftover process that still names the run directory", async () => {
    const env = dirs("leftover");
    expect((await runStage("deploy", { ...env, DB_TYPE: "sqlite" })).code).toBe(0);
    const stray = spawn("sleep", ["300", `${env.RUN_DIR}/marker`], { detached: true, stdio: "ignore" });
    stray.unref();
    const exited = new Promise((resolve) => stray.once("exit", resolve));
    const result = await runStage("destroy", env);
    expect(result.code).toBe(0);
    await exited;
    await expectNothingLeft(env.RUN_DIR);
  });

  it("should refuse to delete a directory Restore Drill did not create", async () => {
    const env = dirs("foreign");
    await fs.mkdir(env.RUN_DIR);
    await fs.writeFile(path.join(env.RUN_DIR, "precious.txt"), "keep me");
    const result = await runStage("destroy", env);
    expect(result).toMatchObject({ code: 2, reason: "RUN_DIR_FOREIGN" });
    expect(await fs.readFile(path.join(env.RUN_DIR, "precious.txt"), "utf8")).toBe("keep me");
  });

  it("should report an interrupted run as could-not-verify", async () => {
    const env = dirs("aborted");
    const deploy = await runStage("deploy", { ...env, DB_TYPE: "sqlite" });
    expect(deploy.code).toBe(0);
    expect((await runStage("destroy", env)).code).toBe(0);
    expect((await runStage("report", { REPORT_DIR: env.REPORT_DIR })).code).toBe(0);
    const report = await readReport(env.REPORT_DIR);
    expect(report).toMatchObject({ verdict: "could-not-verify", failedStage: "decrypt", reasonCode: "PIPELINE_INTERRUPTED" });
    expect(report.stages.map((s) => s.status)).toEqual(["not-run", "not-run", "passed", "not-run", "passed"]);
    expect(describeFailure(deploy)).toContain("exit 0");
  });
});
