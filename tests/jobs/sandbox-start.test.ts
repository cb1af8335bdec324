/**
 * Issue 13 item 12: under load mariadb-install-db once failed and the console
 * said only "could not initialise the sandbox data directory". The install
 * log's tail must reach the console, and a single failed bootstrap must not
 * fail the run: deploy retries with a clean data directory.
 *
 * The failures are injected by a wrapper in front of the real
 * mariadb-install-db (RD_MARIADB_INSTALL_DB is the node's override).
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, runOk } from "@/tests/support/servers/process";
import { describeFailure, destroyRun, expectNothingLeft, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

let work: string;
let realInstallDb: string;

beforeAll(async () => {
  work = await makeTempDir("rdj-start");
  realInstallDb = (await runOk("bash", ["-c", "command -v mariadb-install-db || command -v mysql_install_db"])).stdout.trim();
});

afterAll(async () => {
  await removeDir(work);
});

/** A wrapper the sandbox user (nobody, when root) can run; state lives in a world-writable directory. */
async function wrapper(name: string, body: string): Promise<string> {
  const state = path.join(work, `${name}-state`);
  await fs.mkdir(state, { mode: 0o777 });
  await fs.chmod(state, 0o777);
  const file = path.join(work, `${name}.sh`);
  await fs.writeFile(file, `#!/bin/bash\nSTATE=${state}\n${body}\n`, { mode: 0o755 });
  return file;
}

describe("mariadb-install-db on a loaded machine", () => {
  it("should print the install log's tail and fail with SANDBOX_START_FAILED when every attempt fails", async () => {
    const failing = await wrapper(
      "always-fails",
      `echo "attempt $(ls "$STATE" | wc -l)" >>"$STATE/log"; touch "$STATE/$RANDOM$RANDOM"\necho "[ERROR] simulated: Can't create thread to handle bootstrap (errno= 11)" >&2\nexit 1`,
    );
    const env = {
      RUN_DIR: path.join(work, "run-fail"),
      REPORT_DIR: path.join(work, "report-fail"),
      DB_TYPE: "mysql",
      RD_MARIADB_INSTALL_DB: failing,
    };
    try {
      const result = await runStage("deploy", env);
      expect(result).toMatchObject({ code: 2, reason: "SANDBOX_START_FAILED" });
      // The cause is in the console, prefixed, for each of the three attempts.
      const shown = result.stderr.split("\n").filter((l) => l.startsWith("[mariadb-install-db]") && l.includes("Can't create thread"));
      expect(shown.length).toBeGreaterThanOrEqual(3);
      expect(result.stderr).toContain("attempt 3 of 3");
      const record = await readStageRecord(env.REPORT_DIR, "deploy");
      expect(record.reason).toContain("Can't create thread to handle bootstrap");
      expect((await fs.readdir(path.join(work, "always-fails-state"))).filter((n) => n !== "log")).toHaveLength(3);
    } finally {
      await destroyRun(env.RUN_DIR, env.REPORT_DIR);
    }
    await expectNothingLeft(env.RUN_DIR);
  });

  it("should retry a bootstrap that failed once and start the sandbox", async () => {
    const flaky = await wrapper(
      "fails-once",
      `if [ ! -e "$STATE/failed" ]; then\n  touch "$STATE/failed"\n  mkdir -p "\${2#--datadir=}/half-written"\n  echo "[ERROR] simulated: Out of memory (Needed 8388608 bytes)" >&2\n  exit 1\nfi\nexec ${realInstallDb} "$@"`,
    );
    const env = {
      RUN_DIR: path.join(work, "run-flaky"),
      REPORT_DIR: path.join(work, "report-flaky"),
      DB_TYPE: "mysql",
      RD_MARIADB_INSTALL_DB: flaky,
    };
    try {
      const result = await runStage("deploy", env);
      expect({ code: result.code, log: result.code ? describeFailure(result) : "" }).toMatchObject({ code: 0 });
      expect(result.stderr).toContain("[mariadb-install-db] [ERROR] simulated: Out of memory");
      expect(result.stderr).toContain("attempt 1 of 3");
      expect((await readStageRecord(env.REPORT_DIR, "deploy")).status).toBe("passed");
    } finally {
      await destroyRun(env.RUN_DIR, env.REPORT_DIR);
    }
    await expectNothingLeft(env.RUN_DIR);
  });
});
