import { allowedPrefixes, prefixesParameter } from "@/lib/credentials/key-paths";
import { allowListParameter, readAllowList } from "@/lib/sandbox-images/allow-list";
import type { Db } from "@/lib/db/client";
import { definitionOfRow, type ScheduleDefinition, type ScheduleRowLike } from "./schema";

// A schedule job carries its SSH key's directories (ALLOWED_PATH_PREFIXES), so the pipeline checks
// a timer build's path as it checks a portal run's. The directories live with the key, not the
// schedule: every rendering of a schedule's job reads them here, and a change of the key's
// directories re-renders the jobs that use it (./key-paths-push.ts).

/** The schedule as the portal renders its job: the row's definition plus its key's directories now. */
export async function definitionForJob(
  db: Pick<Db, "sshKeyPaths" | "sandboxImageList">,
  row: ScheduleRowLike,
): Promise<ScheduleDefinition> {
  const definition = definitionOfRow(row);
  return {
    ...definition,
    allowedPathPrefixes: prefixesParameter(await allowedPrefixes(db, definition.parameters.sshCredentialId)),
    // The image allow-list as it is now (a refused image shows at the next run as IMAGE_NOT_ALLOWED).
    imageAllowlist: allowListParameter(await readAllowList(db)),
  };
}
