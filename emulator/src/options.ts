import { z } from "zod";
import { PERMISSIONS } from "./auth";
import { CURRENT_LTS, VERSION_PATTERN } from "./jenkins-version";

// The one boundary where configuration enters the emulator.

export const userSchema = z.object({
  id: z
    .string()
    .min(1, "user id must not be empty")
    .regex(/^[^:;,\s]+$/, "user id must not contain ':', ';', ',' or whitespace"),
  password: z.string().optional(),
  apiTokens: z.array(z.string().min(1)).optional(),
  admin: z.boolean().optional(),
  /** Overall/Read only — no Job/Read: every job answers 404 to this user. */
  readOnly: z.boolean().optional(),
  /** exactly these permissions, like one entry of Jenkins' authorisation matrix */
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
});

export const nodeSchema = z.object({
  name: z.string().min(1),
  labels: z.array(z.string().min(1)),
  executors: z.number().int().min(1).max(64),
  /** An agent's "Remote root directory" (Slave.remoteFS); default HOME/agents/NAME. Ignored for built-in. */
  remoteFS: z.string().min(1).optional(),
});

export const throttleCategorySchema = z.object({
  name: z.string().min(1),
  maxConcurrentPerNode: z.number().int().min(0),
  maxConcurrentTotal: z.number().int().min(0),
});

/**
 * The throttle category Restore Drill's deployment defines (deploy/jenkins/casc.yaml,
 * unclassified.throttleJobProperty), so an emulator started with no say runs its jobs as that
 * Jenkins would. A test holds the two equal.
 */
export const DEFAULT_THROTTLE_CATEGORIES = [{ name: "restore-drill-pipelines", maxConcurrentPerNode: 1, maxConcurrentTotal: 0 }];

export const emulatorOptionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  home: z.string().min(1),
  users: z.array(userSchema),
  nodes: z
    .array(nodeSchema)
    .min(1)
    .default([{ name: "built-in", labels: ["built-in", "restore-drill"], executors: 4 }]),
  quietPeriodSeconds: z.number().min(0).default(5),
  anonymousRead: z.boolean().default(false),
  /** The Jenkins version to behave as: the current LTS by default, "2.492.3" for the older line. */
  version: z.string().regex(VERSION_PATTERN, 'version must look like "2.568.2" or "2.570"').default(CURRENT_LTS),
  /** throttle-concurrents' global categories (its JCasC `categories`); [] for a Jenkins with none */
  throttleCategories: z.array(throttleCategorySchema).default(DEFAULT_THROTTLE_CATEGORIES),
});

export type EmulatorOptions = z.input<typeof emulatorOptionsSchema>;

/**
 * JENKINS_EMULATOR_USERS: `id:password:token1,token2;id2::token3`.
 * Every user is an administrator unless its id is suffixed with `!user`
 * (e.g. `alice!user::token3`), which makes it a plain read/build user, or `!reader`, which gives
 * it Overall/Read only (no Job/Read).
 */
export function parseUsersSpec(spec: string): z.infer<typeof userSchema>[] {
  return spec
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [rawId = "", password = "", tokens = ""] = entry.split(":");
      const role = /!(user|reader)$/.exec(rawId)?.[1];
      return userSchema.parse({
        id: role ? rawId.slice(0, -(role.length + 1)) : rawId,
        password: password || undefined,
        apiTokens: tokens
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
        admin: role === undefined,
        readOnly: role === "reader",
      });
    });
}
