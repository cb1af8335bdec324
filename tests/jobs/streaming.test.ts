/**
 * Issue 13 item 13: no plaintext at rest. decrypt verifies the backup as a
 * stream and keeps only facts; restore streams it again into the sandbox and
 * refuses bytes other than the ones decrypt verified.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

import { createGpgKey, disposeGpgKey, gpgEncrypt, type GpgKey } from "@/tests/support/servers/gpg";
import { makeTempDir, removeDir } from "@/tests/support/servers/process";
import { gzipFile } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv } from "./helpers/drill";
import { describeFailure, destroyRun, expectNothingLeft, readStageRecord, runStage } from "./helpers/stages";

jest.setTimeout(120_000);

let work: string;
let sshd: SshdServer;
let key: GpgKey;

beforeAll(async () => {
  work = await makeTempDir("rdj-stream");
  [sshd, key] = await Promise.all([startSshd(), createGpgKey(work, "stream")]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), key && disposeGpgKey(key)]);
  await removeDir(work);
});

function sqliteDump(canary: string, rows: number): string {
  const inserts = Array.from({ length: rows }, (_, i) => `INSERT INTO secrets VALUES(${i},'${canary}-${i}');`).join("\n");
  return `PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE secrets(id INTEGER PRIMARY KEY, value TEXT);\n${inserts}\nCOMMIT;\n`;
}

/** Every file under dir (skipping `skip`) whose bytes contain needle. */
async function filesContaining(dir: string, needle: string, skip: string[] = []): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (skip.includes(full)) continue;
    if (entry.isDirectory()) found.push(...(await filesContaining(full, needle, skip)));
    else if (entry.isFile() && (await fs.readFile(full)).includes(needle)) found.push(full);
  }
  return found;
}

describe("streaming restore", () => {
  it("should verify and restore a gzip+GPG backup without its plaintext ever resting outside the sandbox", async () => {
    const canary = `canary-${randomBytes(8).toString("hex")}`;
    const plain = path.join(work, "secrets.sql");
    await fs.writeFile(plain, sqliteDump(canary, 50));
    await gzipFile(plain, `${plain}.gz`);
    await gpgEncrypt(key, `${plain}.gz`, `${plain}.gz.gpg`);
    await fs.rm(plain);
    const env = drillEnv({ workDir: work, id: "canary", sshd, backupPath: `${plain}.gz.gpg`, dbType: "sqlite", gpgKey: key });
    const runDir = env.RUN_DIR as string;
    try {
      for (const stage of ["deploy", "decrypt"] as const) {
        const result = await runStage(stage, env);
        expect({ stage, code: result.code, log: result.code ? describeFailure(result) : "" }).toMatchObject({ stage, code: 0 });
      }
      // After decrypt: facts only.
      expect(await filesContaining(runDir, canary)).toEqual([]);
      expect(await fs.readdir(path.join(runDir, "backup"))).toEqual(["verified.json"]);
      const verified = JSON.parse(await fs.readFile(path.join(runDir, "backup/verified.json"), "utf8")) as Record<string, unknown>;
      expect(verified).toMatchObject({ encrypted: true, compression: "gzip", probe: ["sqlite-dump"], markers: { "sqlite-dump": true } });
      expect((await readStageRecord(env.REPORT_DIR as string, "decrypt")).facts).toMatchObject({ format: "sqlite-dump", encrypted: true });

      const restore = await runStage("restore", env);
      expect({ code: restore.code, log: restore.code ? describeFailure(restore) : "" }).toMatchObject({ code: 0 });
      expect((await readStageRecord(env.REPORT_DIR as string, "restore")).facts).toMatchObject({ totalRows: 50 });
      // The restored database in the sandbox holds the data; nothing else does.
      expect(await filesContaining(runDir, canary, [path.join(runDir, "sandbox")])).toEqual([]);
      for (const base of ["/dev/shm", "/tmp"]) {
        const own = (await fs.readdir(base)).filter((n) => n.startsWith("rd-gpg.")).map((n) => path.join(base, n));
        for (const dir of own) expect(await filesContaining(dir, canary)).toEqual([]);
      }
    } finally {
      await destroyRun(runDir, env.REPORT_DIR as string);
    }
    await expectNothingLeft(runDir);
  });

  it("should refuse a backup that changed after decrypt verified it (could-not-verify)", async () => {
    const file = path.join(work, "changing.sql");
    await fs.writeFile(file, sqliteDump("before", 5));
    const env = drillEnv({ workDir: work, id: "changed", sshd, backupPath: file, dbType: "sqlite" });
    try {
      for (const stage of ["deploy", "decrypt"] as const) expect((await runStage(stage, env)).code).toBe(0);
      await fs.writeFile(file, sqliteDump("after!", 5));
      const restore = await runStage("restore", env);
      expect(restore).toMatchObject({ code: 2, reason: "BACKUP_CHANGED" });
    } finally {
      await destroyRun(env.RUN_DIR as string, env.REPORT_DIR as string);
    }
  });
});
