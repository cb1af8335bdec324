import type { CredentialChoices } from "@/lib/credentials/catalog";
import type { Db } from "@/lib/db/client";
import { LOCAL_ONLY } from "@/lib/pipeline/sandbox-options";

/**
 * The keys the home page's forms offer, from the portal's own records (keys added through the
 * portal): the dashboard asks Jenkins nothing. The actions still check the chosen key against
 * Jenkins on submit; /runs/new and /schedules also list keys made in Jenkins itself.
 * For the same reason they offer the local sandbox only, which every pipeline job accepts; the
 * container sandbox is offered by /runs/new and /schedules, which ask the job what it takes.
 */
export async function storedCredentialChoices(db: Db): Promise<CredentialChoices> {
  const refs = await db.credentialRef.findMany({
    select: { id: true, kind: true, description: true, fingerprint: true },
    orderBy: { id: "asc" },
  });
  const of = (kind: string) =>
    refs.filter((r) => r.kind === kind).map((r) => ({ id: r.id, description: r.description, fingerprint: r.fingerprint }));
  return { ssh: of("ssh"), gpg: of("gpg"), sandbox: LOCAL_ONLY };
}
