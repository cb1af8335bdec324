/**
 * Benchmark: time to the first failure for a wrong backup path, old pipeline order versus new.
 *
 *   npx tsx bench/fail-fast.ts [--engines postgresql,mysql] [--out bench/results/fail-fast.md]
 *
 * A loopback sshd serves a directory; BACKUP_PATH names a file that does not exist there. The
 * stage scripts run the way the pipeline job chains them (each a fresh process with only build
 * parameters in its environment), stopping at the first failing stage, then destroy:
 *   - before (the pipeline before C1): pipeline-start → deploy → decrypt   (a sandbox starts first)
 *   - after  (C1):                     pipeline-start → decrypt             (fails before any sandbox)
 * The time measured is from the start of pipeline-start to the exit of the failing stage (what
 * the user waits for before the run page says FAILED); destroy's time is reported beside it.
 * The stage scripts are the same in both orders; only the order the pipeline job gives them
 * differs (jenkins-jobs/restore-drill.yaml), so running them in the old order is the old pipeline.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";

import { makeTempDir, removeDir } from "../tests/support/servers/process";
import { startSshd } from "../tests/support/servers/sshd";
import { drillEnv } from "../tests/jobs/helpers/drill";
import { runStage, type StageScript } from "../tests/jobs/helpers/stages";

const REPO = path.resolve(__dirname, "..");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const OUT = path.resolve(REPO, arg("out", "bench/results/fail-fast.md"));
const ENGINES = arg("engines", "postgresql,mysql").split(",");
const ORDERS: Record<string, StageScript[]> = {
  "before (deploy → decrypt)": ["pipeline-start", "deploy", "decrypt"],
  "after (decrypt → deploy)": ["pipeline-start", "decrypt", "deploy"],
};

interface Row {
  engine: string;
  order: string;
  failedStage: string;
  reason: string;
  secondsToFailure: number;
  destroySeconds: number;
}

async function main(): Promise<void> {
  // The machine is shared: the load at the start says how much to trust the seconds below.
  const loadAtStart = os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" ");
  const sshd = await startSshd();
  const workDir = await makeTempDir("rd-failfast-");
  const rows: Row[] = [];
  try {
    const missing = path.join(workDir, "backups", "shop-2026-12-04.sql.gz");
    await fs.mkdir(path.dirname(missing), { recursive: true });
    let n = 0;
    for (const engine of ENGINES) {
      for (const [order, stages] of Object.entries(ORDERS)) {
        const env = drillEnv({ workDir, id: String(++n), sshd, backupPath: missing, dbType: engine });
        const started = process.hrtime.bigint();
        let failedStage = "none";
        let reason = "";
        for (const stage of stages) {
          const result = await runStage(stage, env);
          if (result.code !== 0) {
            failedStage = stage;
            reason = result.reason ?? "?";
            break;
          }
        }
        const secondsToFailure = Number(process.hrtime.bigint() - started) / 1e9;
        const destroyStart = process.hrtime.bigint();
        await runStage("destroy", env);
        const destroySeconds = Number(process.hrtime.bigint() - destroyStart) / 1e9;
        rows.push({ engine, order, failedStage, reason, secondsToFailure, destroySeconds });
        console.log(`${engine} ${order}: ${failedStage} ${reason} after ${secondsToFailure.toFixed(2)} s`);
      }
    }
  } finally {
    await sshd.stop();
    await removeDir(workDir);
  }
  const lines = [
    "# Fail fast: time to the first failure for a wrong backup path",
    "",
    `Command: \`npx tsx bench/fail-fast.ts --engines ${ENGINES.join(",")}\` — ${new Date().toISOString()}, one run each,`,
    `on the 2-core machine (load average 1/5/15 min at the start: ${loadAtStart}). Stage scripts chained as the pipeline job chains them.`,
    "",
    "| engine | order | failed stage | reason | seconds to failure | destroy seconds |",
    "| --- | --- | --- | --- | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.order} | ${r.failedStage} | ${r.reason} | ${r.secondsToFailure.toFixed(2)} | ${r.destroySeconds.toFixed(2)} |`,
    ),
    "",
  ];
  await fs.writeFile(OUT, lines.join("\n"));
  console.log(`written ${path.relative(REPO, OUT)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
