import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * Jest globalSetup for the integration project: a real PostgreSQL server for the portal's data
 * layer. CI starts one and passes TEST_POSTGRES_URL; otherwise a throwaway server is started here.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export default async function globalSetup() {
  if (process.env.TEST_POSTGRES_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-test-pg-"));
  const url = execFileSync(path.resolve("tools/postgres.sh"), ["start", dir, String(await freePort())], { encoding: "utf8" }).trim();
  process.env.TEST_POSTGRES_URL = url;
  process.env.RD_TEST_PG_DIR = dir;
}
