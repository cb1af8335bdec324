import { z } from "zod";

// The one boundary where configuration enters the emulator.

export const userSchema = z.object({
  id: z.string().min(1, "user id must not be empty").regex(/^[^:;,\s]+$/, "user id must not contain ':', ';', ',' or whitespace"),
  password: z.string().optional(),
  apiTokens: z.array(z.string().min(1)).optional(),
  admin: z.boolean().optional(),
});

export const nodeSchema = z.object({
  name: z.string().min(1),
  labels: z.array(z.string().min(1)),
  executors: z.number().int().min(1).max(64),
});

export const emulatorOptionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default("127.0.0.1"),
  home: z.string().min(1),
  users: z.array(userSchema),
  nodes: z.array(nodeSchema).min(1).default([{ name: "built-in", labels: ["built-in", "restore-drill"], executors: 4 }]),
  quietPeriodSeconds: z.number().min(0).default(5),
  anonymousRead: z.boolean().default(false),
});

export type EmulatorOptions = z.input<typeof emulatorOptionsSchema>;

/**
 * JENKINS_EMULATOR_USERS: `id:password:token1,token2;id2::token3`.
 * Every user is an administrator unless its id is suffixed with `!user`
 * (e.g. `alice!user::token3`), which makes it a plain read/build user.
 */
export function parseUsersSpec(spec: string): z.infer<typeof userSchema>[] {
  return spec
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [rawId = "", password = "", tokens = ""] = entry.split(":");
      const plain = rawId.endsWith("!user");
      return userSchema.parse({
        id: plain ? rawId.slice(0, -"!user".length) : rawId,
        password: password || undefined,
        apiTokens: tokens.split(",").map((t) => t.trim()).filter(Boolean),
        admin: !plain,
      });
    });
}
