import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export default async function globalTeardown() {
  const dir = process.env.RD_TEST_PG_DIR;
  if (!dir) return;
  execFileSync(path.resolve("tools/postgres.sh"), ["stop", dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}
