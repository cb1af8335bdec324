import { z } from "zod";

// Shared by the browser form, the server action and the REST API, so this file
// must stay free of Node-only imports (no Buffer, no crypto).

export const CREDENTIAL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const MAX_DESCRIPTION_LENGTH = 200;
export const MAX_SSH_KEY_BYTES = 16 * 1024;
export const MAX_GPG_KEY_BYTES = 64 * 1024;
export const MAX_PASSPHRASE_LENGTH = 1024;

// C0 controls (newline and tab included: a description is one line), DEL and C1
// controls. XML 1.0 cannot carry most of them, and a label has no use for them.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

export const credentialIdSchema = z
  .string({ error: "Enter an id" })
  .trim()
  .min(1, { error: "Enter an id", abort: true })
  .regex(CREDENTIAL_ID_PATTERN, {
    error: "Use 3 to 64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
  });

export const credentialDescriptionSchema = z
  .string({ error: "The description must be text" })
  .trim()
  .max(MAX_DESCRIPTION_LENGTH, { error: `Keep the description to ${MAX_DESCRIPTION_LENGTH} characters or fewer` })
  .refine((text) => !CONTROL_CHARACTERS.test(text), { error: "The description must be a single line of plain text" })
  .default("");

// The login name on the backup server; POSIX-portable user names plus '.' and '-'.
export const sshUsernameSchema = z
  .string({ error: "Enter the user name to log in as" })
  .trim()
  .min(1, { error: "Enter the user name to log in as", abort: true })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/, {
    error: "Use up to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'",
  });

// An empty field in a form means "no passphrase". Passphrases are never trimmed:
// spaces can be part of them.
export const passphraseSchema = z
  .string({ error: "The passphrase must be text" })
  .max(MAX_PASSPHRASE_LENGTH, { error: `The passphrase is longer than ${MAX_PASSPHRASE_LENGTH} characters` })
  .optional()
  .transform((value) => (value === "" ? undefined : value));

const pastedBlock = (what: string, maxBytes: number) =>
  z
    .string({ error: `Paste the ${what}` })
    .refine((text) => text.trim().length > 0, { error: `Paste the ${what}`, abort: true })
    .refine((text) => utf8Length(text) <= maxBytes, {
      error: `The ${what} is larger than ${maxBytes / 1024} KiB; check you pasted a single key`,
    });

export const addSshKeySchema = z.object({
  id: credentialIdSchema,
  description: credentialDescriptionSchema,
  username: sshUsernameSchema,
  privateKey: pastedBlock("SSH private key", MAX_SSH_KEY_BYTES),
  passphrase: passphraseSchema,
});

export const addGpgKeySchema = z.object({
  id: credentialIdSchema,
  description: credentialDescriptionSchema,
  armoredKey: pastedBlock("ASCII-armored GPG private key", MAX_GPG_KEY_BYTES),
  passphrase: passphraseSchema,
});

/**
 * Deleting: any id Jenkins may hold (keys made in Jenkins too). When schedules use
 * the key, the form lists them and sends their ids back with an explicit
 * confirmation; the server refuses if a schedule uses the key that was not shown.
 */
export const deleteKeySchema = z.object({
  id: z
    .string({ error: "Choose a key" })
    .trim()
    .min(1, { error: "Choose a key", abort: true })
    .max(200, { error: "That key id is too long" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "That is not a Jenkins credential id" }),
  confirmInUse: z
    .string()
    .optional()
    .transform((value) => value === "yes"),
  confirmedScheduleIds: z
    .string()
    .max(20_000, { error: "Too many schedules" })
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});

export type DeleteKey = z.output<typeof deleteKeySchema>;

export type AddSshKey = z.output<typeof addSshKeySchema>;
export type AddGpgKey = z.output<typeof addGpgKeySchema>;

export type SshCredentialField = keyof AddSshKey;
export type GpgCredentialField = keyof AddGpgKey;
export type FieldErrors<Field extends string> = Partial<Record<Field, string[]>>;

/**
 * Turns zod issues into per-field messages. Only our own messages end up here,
 * never the submitted value, so nothing secret can leak through an error.
 */
export function fieldErrorsFromZod<Field extends string>(error: z.ZodError): FieldErrors<Field | "form"> {
  const errors: FieldErrors<string> = {};
  for (const issue of error.issues) {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : "form";
    (errors[field] ??= []).push(issue.message);
  }
  return errors as FieldErrors<Field | "form">;
}
