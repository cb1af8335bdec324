import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { JENKINS_CREDENTIAL_ID } from "@/lib/validation/run";

// Which directories an SSH key may read on backup servers. A key opens an account on a backup
// server, and that account may read more than backups (/etc/shadow): managers give each SSH key
// the directories it is meant for, and a run or schedule naming a file outside them is refused —
// by the portal (form and server action) and again by the pipeline, which gets the same list as
// the ALLOWED_PATH_PREFIXES build parameter and checks it before it connects (scripts/decrypt.sh).
// A key without a list may read nothing. Prefixes are directories: "/backups/" admits
// "/backups/db1/x.sql", never "/backups-old/x.sql".

export const MAX_PREFIXES = 20;
/** Separates the prefixes in the build parameter: paths never hold whitespace (backupPathSchema). */
export const PREFIX_SEPARATOR = " ";

/** One directory: an absolute path of the characters a backup path may use, no "..", ending in "/". */
export const pathPrefixSchema = z
  .string()
  .trim()
  .max(1024, "Directories are at most 1024 characters")
  .refine((v) => v.startsWith("/"), "Each directory must be an absolute path, starting with /")
  .refine((v) => /^\/[A-Za-z0-9._/@+,=:~-]*$/.test(v), "Directories may use letters, digits and . _ / @ + , = : ~ - only")
  .refine((v) => !/(^|\/)\.{1,2}(\/|$)/.test(v), "Directories may not contain . or .. segments")
  .transform((v) => `${v.replace(/\/+/g, "/").replace(/\/$/, "")}/`);

/** The manager's form: the key and one directory per line. */
export const keyPathsFormSchema = z.object({
  credentialId: z.string().trim().regex(JENKINS_CREDENTIAL_ID, "Choose a key from the list"),
  prefixes: z
    .string()
    .max(MAX_PREFIXES * 1100, "That list is too long")
    .transform((text) =>
      text
        .split(/[\r\n]+/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(z.array(pathPrefixSchema).max(MAX_PREFIXES, `At most ${MAX_PREFIXES} directories per key`))
    .transform((list) => [...new Set(list)].sort()),
});
export type KeyPathsForm = z.output<typeof keyPathsFormSchema>;

/** Whether `path` lies inside one of the directories. */
export function pathIsAllowed(path: string, prefixes: readonly string[]): boolean {
  const normalized = path.replace(/\/+/g, "/");
  // ".." is refused by every path schema; "." segments cannot leave a directory either.
  if (/(^|\/)\.\.(\/|$)/.test(normalized)) return false;
  return prefixes.some((prefix) => normalized.startsWith(prefix));
}

type PathsReader = Pick<Db, "sshKeyPaths">;

export async function allowedPrefixes(db: PathsReader, credentialId: string): Promise<string[]> {
  const row = await db.sshKeyPaths.findUnique({ where: { credentialId } });
  if (!row) return [];
  const parsed = z.array(z.string()).safeParse(JSON.parse(row.prefixes));
  return parsed.success ? parsed.data : [];
}

/** Every key's directories, for the credentials page. */
export async function allAllowedPrefixes(db: PathsReader): Promise<Map<string, string[]>> {
  const rows = await db.sshKeyPaths.findMany();
  return new Map(rows.map((r) => [r.credentialId, z.array(z.string()).catch([]).parse(JSON.parse(r.prefixes))]));
}

/** Refuses a backup path the SSH key may not read; returns the key's directories for the build parameter. */
export async function assertPathAllowed(
  db: PathsReader,
  parameters: { sshCredentialId: string; backupPath: string; backupPattern?: string },
): Promise<string[]> {
  const prefixes = await allowedPrefixes(db, parameters.sshCredentialId);
  if (prefixes.length === 0)
    throw new DomainError(
      `The SSH key '${parameters.sshCredentialId}' has no directories it may read yet. A manager sets them on the Credentials page.`,
      { field: "backupPath", code: "path-not-allowed" },
    );
  // With a pattern the path is a directory: the files in it are what the key reads (as scripts/lib/stream.sh checks).
  const read = parameters.backupPattern ? `${parameters.backupPath.replace(/\/+$/, "")}/` : parameters.backupPath;
  if (!pathIsAllowed(read, prefixes))
    throw new DomainError(
      `The SSH key '${parameters.sshCredentialId}' may only read files under ${prefixes.join(", ")}. Choose a backup inside them, or ask a manager to add the directory.`,
      { field: "backupPath", code: "path-not-allowed" },
    );
  return prefixes;
}

/**
 * What a schedule job passes for a key without directories. Not a directory, so the pipeline's check
 * (scripts/lib/stream.sh) admits no path; an empty value would mean "not checked" there.
 */
export const NO_DIRECTORIES = "none";

/** The build parameter's value (see PREFIX_SEPARATOR). */
export const prefixesParameter = (prefixes: readonly string[]) => (prefixes.length ? prefixes.join(PREFIX_SEPARATOR) : NO_DIRECTORIES);

/** Sets the key's directories (an empty list: the key may read nothing), with its audit event. */
export async function setAllowedPrefixes(db: Db, actor: { id: string; email: string }, form: KeyPathsForm): Promise<void> {
  const prefixes = JSON.stringify(form.prefixes);
  await db.$transaction(async (tx) => {
    await tx.sshKeyPaths.upsert({
      where: { credentialId: form.credentialId },
      create: { credentialId: form.credentialId, prefixes, updatedByEmail: actor.email },
      update: { prefixes, updatedByEmail: actor.email },
    });
    await recordAudit(tx, {
      actor,
      action: "credential.paths",
      target: form.credentialId,
      outcome: "success",
      details: { prefixes: form.prefixes },
    });
  });
}
