import type { NextConfig } from "next";
import { FIXED_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  output: "standalone",
  // Native and driver packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "jenkins"],
  poweredByHeader: false,
  // The app's own sources only; `npm run typecheck` checks the whole tree (emulator, tools, tests).
  typescript: { tsconfigPath: "tsconfig.next.json" },
  // Static assets bypass proxy.ts, which sets these (and the CSP) on everything else.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(FIXED_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
