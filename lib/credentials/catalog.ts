import { readSandboxOptions } from "@/lib/pipeline/read-sandbox-options";
import type { SandboxOptions } from "@/lib/pipeline/sandbox-options";
import type { Db } from "@/lib/db/client";
import type { JenkinsAdapter } from "@/lib/jenkins";
import { DomainError } from "@/lib/errors";

/**
 * What the run and schedule forms offer as keys: Jenkins' credentials list is the truth for
 * which keys exist (keys made in Jenkins itself included); the portal's metadata adds the
 * fingerprint of keys added through the portal. Never any key material.
 */
export interface CredentialChoice {
  id: string;
  description: string;
  fingerprint: string | null;
}

export interface CredentialChoices {
  ssh: CredentialChoice[];
  gpg: CredentialChoice[];
  /** The sandbox options the pipeline job accepts (the forms offer only those); absent: all. */
  sandbox?: SandboxOptions;
}

/** What the forms offer: the keys, and the sandbox options the pipeline job accepts. */
export async function listFormChoices(
  db: Db,
  jenkins: Pick<JenkinsAdapter, "listCredentials" | "getJobParameterDefinitions">,
): Promise<CredentialChoices> {
  const [choices, sandbox] = await Promise.all([listCredentialChoices(db, jenkins), readSandboxOptions(jenkins)]);
  return { ...choices, sandbox };
}

export async function listCredentialChoices(db: Db, jenkins: Pick<JenkinsAdapter, "listCredentials">): Promise<CredentialChoices> {
  const [held, refs] = await Promise.all([
    jenkins.listCredentials(),
    db.credentialRef.findMany({ select: { id: true, fingerprint: true } }),
  ]);
  const fingerprints = new Map(refs.map((r) => [r.id, r.fingerprint]));
  const choices = (kind: "ssh" | "gpg") =>
    held
      .filter((c) => c.kind === kind)
      .map((c) => ({ id: c.id, description: c.description, fingerprint: fingerprints.get(c.id) ?? null }))
      .sort((a, b) => a.id.localeCompare(b.id));
  return { ssh: choices("ssh"), gpg: choices("gpg") };
}

/** Refuses ids the forms did not offer: a key must exist in Jenkins, and be of the right kind. */
export function assertChosenCredentials(choices: CredentialChoices, chosen: { sshCredentialId: string; gpgCredentialId: string }): void {
  if (!choices.ssh.some((c) => c.id === chosen.sshCredentialId))
    throw new DomainError("Jenkins holds no SSH key with this id. Choose one from the list.", {
      field: "sshCredentialId",
      code: "unknown-credential",
    });
  if (chosen.gpgCredentialId && !choices.gpg.some((c) => c.id === chosen.gpgCredentialId))
    throw new DomainError("Jenkins holds no GPG key with this id. Choose one from the list.", {
      field: "gpgCredentialId",
      code: "unknown-credential",
    });
}
