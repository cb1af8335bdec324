// The demo's backup server, started by `npm start` (tools/start.sh) after the emulator:
//   1. makes (once) under DATA_DIR/demo an SSH host key, a client key, a GPG key and an
//      encrypted sample MariaDB dump — all mode 0600, never printed;
//   2. runs sshd on 127.0.0.1:DEMO_SSH_PORT (default 2222) serving DATA_DIR/demo/backups;
//   3. stores the client key and the GPG key as Jenkins credentials (JENKINS_URL…) and their
//      metadata in the portal's database;
//   4. prints the run form's values (also in DATA_DIR/demo/form-values.txt) and keeps sshd
//      running until it gets SIGINT/SIGTERM.
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { createDb } from "../../lib/db/client";
import { databaseUrl } from "../../lib/db/provider";
import { createJenkinsAdapter, loadJenkinsConfig } from "../../lib/jenkins";
import { DB_TYPE_LABELS } from "../../lib/validation/run";
import { prepareDemoFiles, startBackupSshd, type DemoFiles, type RunningSshd } from "./backup-host";
import { DEMO_GPG_CREDENTIAL_ID, DEMO_SSH_CREDENTIAL_ID, storeDemoCredentials } from "./credentials";

const env = z
  .object({
    DATA_DIR: z.string().min(1).default("data"),
    DEMO_SSH_PORT: z.coerce.number().int().min(1).max(65535).default(2222),
  })
  .parse(process.env);

function formValues(files: DemoFiles, sshd: Pick<RunningSshd, "host" | "port">): string {
  const rows = files.sample.tables.reduce((n, t) => n + t.rows, 0);
  return [
    'Try a restore: sign in, open "Run a restore" and fill in',
    `  Backup host        ${sshd.host}`,
    `  SSH port           ${sshd.port}`,
    `  Backup file path   ${files.sample.path}`,
    `  Database type      ${DB_TYPE_LABELS.mysql}`,
    `  SSH key            ${DEMO_SSH_CREDENTIAL_ID}`,
    `  GPG key            ${DEMO_GPG_CREDENTIAL_ID}`,
    `  Host key (optional) ${files.hostPublicKey}`,
    `It should pass with ${files.sample.tables.length} tables and ${rows.toLocaleString("en")} rows (${files.sample.tables.map((t) => `${t.name} ${t.rows}`).join(", ")}).`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const dataDir = path.resolve(env.DATA_DIR);
  const files = await prepareDemoFiles(path.join(dataDir, "demo"));
  const sshd = await startBackupSshd(files, env.DEMO_SSH_PORT);
  const stop = async () => {
    await sshd.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());

  const db = createDb(databaseUrl());
  try {
    await storeDemoCredentials(createJenkinsAdapter(loadJenkinsConfig()), db, files, sshd.user);
  } finally {
    await db.$disconnect();
  }
  const text = formValues(files, sshd);
  await fs.writeFile(path.join(files.dir, "form-values.txt"), text, { mode: 0o600 });
  console.log(
    `demo backup host: sshd on ${sshd.host}:${sshd.port}, keys stored in Jenkins as ${DEMO_SSH_CREDENTIAL_ID} and ${DEMO_GPG_CREDENTIAL_ID}`,
  );
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
