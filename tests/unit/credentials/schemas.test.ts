import {
  addGpgKeySchema,
  addSshKeySchema,
  credentialIdSchema,
  fieldErrorsFromZod,
  MAX_GPG_KEY_BYTES,
  MAX_SSH_KEY_BYTES,
} from "@/lib/credentials/schemas";

const ID_MESSAGE = "Use 3 to 64 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";

function errorsOf(result: ReturnType<typeof addSshKeySchema.safeParse> | ReturnType<typeof addGpgKeySchema.safeParse>) {
  if (result.success) throw new Error("expected the input to be refused");
  return fieldErrorsFromZod<string>(result.error);
}

describe("credentialIdSchema", () => {
  it.each(["abc", "backup-ssh", "prod.db_key-2", "0ab", "a".repeat(64)])("should accept %s", (id) => {
    expect(credentialIdSchema.parse(id)).toBe(id);
  });

  it("should trim surrounding blanks", () => {
    expect(credentialIdSchema.parse("  backup-ssh ")).toBe("backup-ssh");
  });

  it.each(["ab", "Backup", "-abc", ".abc", "a b c", "a/b/c", "abc%2f", "é-key", "a".repeat(65)])("should refuse %s", (id) => {
    const result = credentialIdSchema.safeParse(id);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(ID_MESSAGE);
  });

  it("should only ask for an id when empty", () => {
    expect(credentialIdSchema.safeParse("").error?.issues.map((issue) => issue.message)).toEqual(["Enter an id"]);
  });
});

describe("addSshKeySchema", () => {
  const valid = { id: "backup-ssh", description: "prod", username: "backup", privateKey: "-----BEGIN X-----" };

  it("should default the description and drop an empty passphrase", () => {
    const parsed = addSshKeySchema.parse({ ...valid, description: undefined, passphrase: "" });
    expect(parsed.description).toBe("");
    expect(parsed.passphrase).toBeUndefined();
  });

  it("should keep blanks inside and around a passphrase", () => {
    expect(addSshKeySchema.parse({ ...valid, passphrase: " two words " }).passphrase).toBe(" two words ");
  });

  it("should report one clear message per field", () => {
    expect(errorsOf(addSshKeySchema.safeParse({ id: "X", description: "d".repeat(201), username: "-root", privateKey: "   " }))).toEqual({
      id: [ID_MESSAGE],
      description: ["Keep the description to 200 characters or fewer"],
      username: ["Use up to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"],
      privateKey: ["Paste the SSH private key"],
    });
  });

  it("should refuse a missing user name", () => {
    expect(errorsOf(addSshKeySchema.safeParse({ ...valid, username: "" })).username).toEqual(["Enter the user name to log in as"]);
  });

  it("should refuse a multi-line description", () => {
    expect(errorsOf(addSshKeySchema.safeParse({ ...valid, description: "one\ntwo" })).description).toEqual([
      "The description must be a single line of plain text",
    ]);
  });

  it("should measure the key size in bytes, not characters", () => {
    const justFits = "k".repeat(MAX_SSH_KEY_BYTES);
    expect(addSshKeySchema.safeParse({ ...valid, privateKey: justFits }).success).toBe(true);
    // 'é' is two bytes in UTF-8.
    const tooBig = "é".repeat(MAX_SSH_KEY_BYTES / 2 + 1);
    expect(errorsOf(addSshKeySchema.safeParse({ ...valid, privateKey: tooBig })).privateKey).toEqual([
      "The SSH private key is larger than 16 KiB; check you pasted a single key",
    ]);
  });

  it("should put errors about the whole input under 'form'", () => {
    expect(Object.keys(errorsOf(addSshKeySchema.safeParse(null)))).toEqual(["form"]);
  });
});

describe("addGpgKeySchema", () => {
  const valid = { id: "backup-gpg", description: "", armoredKey: "-----BEGIN PGP PRIVATE KEY BLOCK-----" };

  it("should allow keys up to 64 KiB", () => {
    expect(addGpgKeySchema.safeParse({ ...valid, armoredKey: "k".repeat(MAX_GPG_KEY_BYTES) }).success).toBe(true);
    expect(errorsOf(addGpgKeySchema.safeParse({ ...valid, armoredKey: "k".repeat(MAX_GPG_KEY_BYTES + 1) })).armoredKey).toEqual([
      "The ASCII-armored GPG private key is larger than 64 KiB; check you pasted a single key",
    ]);
  });

  it("should allow GPG key ids of the full 64 characters (no companion credential needs room)", () => {
    const longest = "g".repeat(64);
    expect(addGpgKeySchema.safeParse({ ...valid, id: longest }).success).toBe(true);
    expect(errorsOf(addGpgKeySchema.safeParse({ ...valid, id: `${longest}g` })).id).toEqual([ID_MESSAGE]);
  });
});
