// Prisma CLI configuration for offline use: the JS schema engine with a driver adapter,
// so no engine binary is ever downloaded. The tools in tools/db/ drive it; see tools/db/README.md.
import { defineConfig } from "prisma/config";
import { adapterFor } from "./lib/db/adapter";
import { databaseUrl, providerOf } from "./lib/db/provider";

const url = databaseUrl();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA_SCHEMA_FILE ?? `lib/generated/prisma/${providerOf(url)}/schema.prisma`,
  adapter: async () => adapterFor(url),
});
