/**
 * Backup selection wired into the pipeline (issue 14 items 1–2): the stage scripts in pipeline
 * order against a real loopback sshd and a real SQLite sandbox. The newest match is restored and
 * recorded; no match fails BACKUP_MISSING; a stale newest file fails BACKUP_STALE though it is
 * still restored; hostile patterns are refused, with a marker file proving nothing ran.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, runOk } from "@/tests/support/servers/process";
import { SampleFactory } from "@/tests/support/servers/samples";
import { startSshd, type SshdServer } from "@/tests/support/servers/sshd";
import { drillEnv, runDrill } from "./helpers/drill";
import { runStage } from "./helpers/stages";

jest.setTimeout(180_000);

let work: string;
let sshd: SshdServer;
let samples: SampleFactory;

beforeAll(async () => {
  work = await makeTempDir("rdj-select");
  await fs.chmod(work, 0o755);
  [sshd, samples] = await Promise.all([startSshd(), SampleFactory.create(path.join(work, "samples"))]);
});

afterAll(async () => {
  await Promise.allSettled([sshd?.stop(), samples?.stop()]);
  await removeDir(work);
});

/** A real SQLite dump with `rows` orders, named `name` in directory `sub`, modified `touchDate`. */
async function backup(sub: string, name: string, rows: number, touchDate: string): Promise<string> {
  const made = await samples.make("sqlite-dump", [{ name: "orders", rows }], `${sub}-${name}`);
  const full = path.join(work, sub, name);
  await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
  await fs.copyFile(made, full);
  await runOk("touch", ["-d", touchDate, full]);
  return full;
}

type Selection = { file: string; matches: number; bytes: number; stale: boolean; restores: boolean | null; maxAgeHours: number | null };
const selectionOf = (report: { backup: unknown }) => (report.backup as { selection?: Selection | null }).selection;

const drill = (id: string, dir: string, extraEnv: Record<string, string>) =>
  runDrill({ workDir: work, id, sshd, backupPath: dir, dbType: "sqlite", extraEnv });

it("should restore the newest match and record the file, its size, its time and how many matched", async () => {
  await backup("newest", "shop-a.sql", 5, "3 days ago");
  const newest = await backup("newest", "shop-b.sql", 7, "2 hours ago");
  await backup("newest", "shop-c.sql", 9, "1 day ago");
  await backup("newest", "other.sql", 11, "1 minute ago");
  const { report } = await drill("newest", path.join(work, "newest"), { BACKUP_PATTERN: "shop-*.sql", MAX_BACKUP_AGE_HOURS: "26" });
  expect(report).toMatchObject({ verdict: "passed", reasonCode: "OK" });
  expect(report.totalRows).toBe(7);
  expect((report.backup as { path?: string }).path).toBe(newest);
  const stat = await fs.stat(newest);
  expect(selectionOf(report)).toMatchObject({ file: newest, matches: 3, bytes: stat.size, stale: false, restores: true, maxAgeHours: 26 });
});

it("should fail BACKUP_MISSING naming the directory and the pattern when nothing matches, before any sandbox", async () => {
  await backup("missing", "shop-a.sql", 3, "1 hour ago");
  const { report, results } = await drill("missing", path.join(work, "missing"), { BACKUP_PATTERN: "nightly-*.sql.gz" });
  expect(report).toMatchObject({ verdict: "failed", reasonCode: "BACKUP_MISSING", failedStage: "decrypt" });
  expect(report.reason).toContain(path.join(work, "missing"));
  expect(report.reason).toContain("nightly-\\*.sql.gz");
  expect(results.deploy).toBeUndefined();
});

it("should fail BACKUP_STALE with the age and the limit, and say the old file still restores", async () => {
  const old = await backup("stale", "shop-1.sql", 4, "30 hours ago");
  const { report } = await drill("stale", path.join(work, "stale"), { BACKUP_PATTERN: "shop-*.sql", MAX_BACKUP_AGE_HOURS: "26" });
  expect(report).toMatchObject({ verdict: "failed", reasonCode: "BACKUP_STALE", failedStage: "decrypt" });
  expect(report.reason).toMatch(/is 30(\.\d)? h old, over the limit of 26 h; the old file itself restores/);
  expect(report.stages.find((s) => s.name === "restore")?.status).toBe("passed");
  expect(report.totalRows).toBe(4);
  expect(selectionOf(report)).toMatchObject({ file: old, stale: true, restores: true });
});

it("should check an exact file's age too when a maximum age is set", async () => {
  const exact = await backup("exact", "db.sql", 2, "10 days ago");
  const { report } = await runDrill({
    workDir: work,
    id: "exact",
    sshd,
    backupPath: exact,
    dbType: "sqlite",
    extraEnv: { MAX_BACKUP_AGE_HOURS: "192" },
  });
  expect(report).toMatchObject({ verdict: "failed", reasonCode: "BACKUP_STALE" });
  expect(selectionOf(report)).toMatchObject({ file: exact, matches: 1, stale: true, restores: true });
});

describe("hostile patterns", () => {
  it.each(["*;id", "$(id)", "`id`", "../*", "*\nid", "shop-*.sql' ; id '", "*&&id"])(
    "should refuse %j in validate and in decrypt alone, and nothing runs on the SSH host",
    async (pattern) => {
      const marker = path.join(work, `marker-${Math.random().toString(36).slice(2)}`);
      await backup("hostile", "shop-1.sql", 1, "1 hour ago");
      const hostile = pattern.replace(/id/g, `touch ${marker}`);
      const { report, results } = await drill(`hostile-${Math.random().toString(36).slice(2)}`, path.join(work, "hostile"), {
        BACKUP_PATTERN: hostile,
      });
      expect(report).toMatchObject({ reasonCode: "INVALID_BACKUP_PATTERN", failedStage: "validate" });
      expect(results.decrypt).toBeUndefined();
      // decrypt run on its own (as by hand, skipping validate) refuses it before connecting.
      const env = drillEnv({ workDir: work, id: "hostile-decrypt", sshd, backupPath: path.join(work, "hostile"), dbType: "sqlite" });
      const alone = await runStage("decrypt", { ...env, BACKUP_PATTERN: hostile });
      expect(alone.reason).toBe("INVALID_BACKUP_PATTERN");
      await expect(fs.access(marker)).rejects.toThrow();
    },
  );
});
