import type { Db } from "@/lib/db/client";
import { SSH_CREDENTIAL_ID } from "@/tests/integration/runs/support";

/**
 * Gives a test's SSH key the directories it may read (lib/credentials/key-paths.ts): a key
 * without them reads nothing, so every test that runs restores or saves schedules grants its
 * key first. "/" by default: those tests are not about the directories.
 */
export async function allowKeyPaths(db: Db, credentialId = SSH_CREDENTIAL_ID, prefixes: string[] = ["/"]): Promise<void> {
  const value = JSON.stringify(prefixes);
  await db.sshKeyPaths.upsert({
    where: { credentialId },
    create: { credentialId, prefixes: value, updatedByEmail: "tests@example.test" },
    update: { prefixes: value },
  });
}
