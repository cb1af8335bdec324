/**
 * Benchmark: backup selection in a directory of 10,000 files (scripts/lib/select.sh).
 *
 *   npx tsx bench/select-10k.ts [--files 10000] [--out bench/results/select-10k.md]
 *
 * A loopback sshd serves a directory of --files small files of different ages; the selection
 * step (the same bash the decrypt job runs) lists it over SSH and picks the newest match, by
 * modification time (glob) and by the date in the name (template). Agent time is the CPU time
 * (user + system) of the selection process and its children on the agent — ssh, sort, jq —
 * measured with GNU time; the remote find runs on the backup host and is in the wall time only.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run } from "../tests/support/servers/process";
import { startSshd } from "../tests/support/servers/sshd";
import { nodeEnv, SCRIPTS } from "../tests/jobs/helpers/stages";

const REPO = path.resolve(__dirname, "..");
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}
const FILES = Number(arg("files", "10000"));
const OUT = path.resolve(REPO, arg("out", "bench/results/select-10k.md"));

const SELECT = `set -euo pipefail
source "${SCRIPTS}/lib/common.sh"; source "${SCRIPTS}/lib/stream.sh"; source "${SCRIPTS}/lib/select.sh"
RD_WORK=$(mktemp -d); trap 'rm -rf -- "$RD_WORK"' EXIT
rd_select_backup
cat "$RD_WORK/selection.json"`;

async function main(): Promise<void> {
  const sshd = await startSshd();
  const dir = await makeTempDir("rd-select-bench-");
  const rows: string[] = [];
  try {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < FILES; i++) {
      const when = new Date(start + i * 3_600_000);
      const name = `shop-${when.toISOString().slice(0, 13).replace("T", "-")}.sql.gz`;
      const full = path.join(dir, name);
      await fs.writeFile(full, "x");
      await fs.utimes(full, when, when);
    }
    for (const [label, pattern] of [
      ["glob, newest by mtime", "shop-*.sql.gz"],
      ["template, newest by date in name", "shop-%Y-%m-%d-%H.sql.gz"],
      ["baseline: the same ssh connection listing nothing", "nothing-*.none"],
    ] as const) {
      const env = nodeEnv({
        BACKUP_HOST: sshd.host,
        BACKUP_PORT: String(sshd.port),
        BACKUP_PATH: dir,
        BACKUP_PATTERN: pattern,
        BACKUP_HOST_KEY: sshd.hostPublicKey,
        SSH_KEY_FILE: sshd.clientKey.privateKeyPath,
        SSH_USER: sshd.user,
      });
      const result = await run("/usr/bin/time", ["-f", "TIME %U %S %e", "bash", "-c", SELECT], { env });
      const [user, sys, wall] = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(result.stderr)!.slice(1).map(Number) as [number, number, number];
      const sel = result.code === 0 ? (JSON.parse(result.stdout) as { file: string; matches: number }) : null;
      const line = `| ${label} | ${sel?.matches ?? "failed"} | ${sel ? path.basename(sel.file) : result.stderr.slice(-200)} | ${(user + sys).toFixed(2)} | ${wall.toFixed(2)} |`;
      console.log(line);
      rows.push(line);
    }
  } finally {
    await sshd.stop();
    await removeDir(dir);
  }
  await fs.writeFile(
    OUT,
    [
      `# Backup selection in a directory of ${FILES} files`,
      "",
      `Command: \`npx tsx bench/select-10k.ts --files ${FILES}\` — ${new Date().toISOString()}, one run, shared 2-core machine.`,
      "Agent CPU = user + system seconds of the selection step and its children on the agent (GNU time).",
      "",
      "| mode | matches | chosen | agent CPU s | wall s |",
      "| --- | ---: | --- | ---: | ---: |",
      ...rows,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
