import { z } from "zod";
import { databaseUrl, providerOf } from "@/lib/db/provider";
import { pageCacheSecondsSchema } from "@/lib/http/page-cache/policy";

/** The portal's settings, checked once at start-up so that a bad value fails loudly and early. */
const portalEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters (npm start generates one)"),
  NEXTAUTH_URL: z.url({ message: "NEXTAUTH_URL must be the portal's public URL, e.g. https://restore.example.com" }).optional(),
  PAGE_CACHE_SECONDS: pageCacheSecondsSchema,
});

export function assertPortalEnv(env: NodeJS.ProcessEnv = process.env): void {
  const problems: string[] = [];
  const parsed = portalEnvSchema.safeParse(env);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
  try {
    providerOf(databaseUrl(env));
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length) throw new Error(`Restore Drill cannot start:\n- ${problems.join("\n- ")}`);
}
