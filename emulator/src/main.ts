import path from "node:path";
import { z } from "zod";
import { startEmulator } from "./index";
import { CURRENT_LTS } from "./jenkins-version";
import { parseUsersSpec } from "./options";

// `npm run emulator`: configuration comes from JENKINS_EMULATOR_* (see emulator/README.md).

const env = z
  .object({
    JENKINS_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    JENKINS_EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
    JENKINS_EMULATOR_HOME: z.string().min(1).default("./data/jenkins-emulator"),
    JENKINS_EMULATOR_USERS: z.string().min(1, "JENKINS_EMULATOR_USERS must list at least one user").default("admin:admin:"),
    JENKINS_EMULATOR_EXECUTORS: z.coerce.number().int().min(1).max(64).default(4),
    JENKINS_EMULATOR_LABELS: z.string().default("built-in restore-drill"),
    JENKINS_EMULATOR_QUIET_PERIOD: z.coerce.number().min(0).default(5),
    JENKINS_EMULATOR_ANONYMOUS_READ: z.enum(["true", "false"]).default("false"),
    JENKINS_EMULATOR_VERSION: z.string().default(CURRENT_LTS),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: env.JENKINS_EMULATOR_PORT,
    host: env.JENKINS_EMULATOR_HOST,
    home: path.resolve(env.JENKINS_EMULATOR_HOME),
    users: parseUsersSpec(env.JENKINS_EMULATOR_USERS),
    nodes: [
      { name: "built-in", labels: env.JENKINS_EMULATOR_LABELS.split(/\s+/).filter(Boolean), executors: env.JENKINS_EMULATOR_EXECUTORS },
    ],
    quietPeriodSeconds: env.JENKINS_EMULATOR_QUIET_PERIOD,
    anonymousRead: env.JENKINS_EMULATOR_ANONYMOUS_READ === "true",
    version: env.JENKINS_EMULATOR_VERSION,
  });
  console.log(`Jenkins emulator (as Jenkins ${env.JENKINS_EMULATOR_VERSION}) listening on ${emulator.url} (home ${emulator.home})`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`jenkins emulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
