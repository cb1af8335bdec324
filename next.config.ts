import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  // Native and driver packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "jenkins"],
  poweredByHeader: false,
  // The app's own sources only; `npm run typecheck` checks the whole tree (emulator, tools, tests).
  typescript: { tsconfigPath: "tsconfig.next.json" },
};

export default nextConfig;
