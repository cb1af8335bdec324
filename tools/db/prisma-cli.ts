import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { DbProvider } from "../../lib/db/provider";
import { ROOT } from "./schemas";

const SCRATCH_URL: Record<DbProvider, string> = {
  sqlite: "file:" + path.join(ROOT, "data/.prisma-scratch.db"),
  postgresql: "postgresql://prisma-offline@127.0.0.1:1/never-connected",
};
const NO_ENGINE = path.join(ROOT, "tools/db/no-engine");

/**
 * Runs the Prisma CLI offline through prisma.config.ts (engine=js + driver adapter), with the
 * native-engine variables pointed at a placeholder so the CLI skips its download check.
 */
export function prisma(args: string[], opts: { schema: string; provider: DbProvider; url?: string }): string {
  fs.mkdirSync(path.join(ROOT, "data"), { recursive: true });
  return execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PRISMA_SCHEMA_FILE: opts.schema,
      PRISMA_SCHEMA_ENGINE_BINARY: NO_ENGINE,
      PRISMA_QUERY_ENGINE_LIBRARY: NO_ENGINE,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      // diff and generate never connect, but the adapter must match the schema's provider.
      DATABASE_URL: opts.url ?? SCRATCH_URL[opts.provider],
    },
  });
}
