import { buildSshCredentialXml } from "@/lib/credentials";
import { listCredentialChoices } from "@/lib/credentials/catalog";
import { deleteKeySchema } from "@/lib/credentials/schemas";
import { listKeys, readKey } from "@/lib/credentials/list";
import { addGpgKey, addSshKey, deleteKey, DUPLICATE_ID_MESSAGE } from "@/lib/credentials/manage";
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { JenkinsConfigError } from "@/lib/jenkins";
import { PROVIDERS, freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { GPG_PASSPHRASE, SSH_PASSPHRASE, insertSchedule, makeKeys, startJenkins, type JenkinsFixture, type KeyFixture } from "./support";

// Adding, listing and deleting keys against the Jenkins emulator and a real
// database of each provider.

const HOOK_TIMEOUT_MS = 120_000;
const actor = { id: "manager-1", email: "manager@example.com" };

let keys: KeyFixture;
let jf: JenkinsFixture;

beforeAll(async () => {
  [keys, jf] = await Promise.all([makeKeys(), startJenkins()]);
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await jf?.emulator.cleanup();
  await keys?.cleanup();
});

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

const del = (id: string, extra: Record<string, string> = {}) => deleteKeySchema.parse({ id, ...extra });
let idCounter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++idCounter}`;

describe.each(PROVIDERS)("managing keys on %s", (provider) => {
  let t: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    t = await freshDatabase(provider);
    db = t.db;
  }, HOOK_TIMEOUT_MS);
  afterAll(() => t?.drop());

  it("should store an SSH and a GPG key in Jenkins, keep their metadata, and offer them to the pickers", async () => {
    const sshId = uniqueId("ssh");
    const gpgId = uniqueId("gpg");
    await addSshKey(db, jf.jenkins, actor, {
      id: sshId,
      description: "Backups of db1",
      username: "backup",
      privateKey: keys.sshEncrypted.privateKey,
      passphrase: SSH_PASSPHRASE,
    });
    await addGpgKey(db, jf.jenkins, actor, {
      id: gpgId,
      description: "Backup encryption",
      armoredKey: keys.gpgProtected.armoredPrivateKey,
      passphrase: GPG_PASSPHRASE,
    });

    const held = await jf.jenkins.listCredentials();
    expect(
      held
        .filter((c) => c.id === sshId || c.id === gpgId)
        .map((c) => [c.id, c.kind])
        .sort(),
    ).toEqual(
      [
        [gpgId, "gpg"],
        [sshId, "ssh"],
      ].sort(),
    );

    const ssh = await db.credentialRef.findUniqueOrThrow({ where: { id: sshId } });
    expect(ssh).toMatchObject({
      kind: "ssh",
      description: "Backups of db1",
      fingerprint: keys.sshEncrypted.fingerprint,
      keyType: "ecdsa",
      createdByEmail: actor.email,
    });
    expect(JSON.parse(ssh.details ?? "{}")).toMatchObject({ username: "backup", bits: 384 });

    const { keys: rows, jenkinsProblem } = await listKeys(db, jf.jenkins);
    expect(jenkinsProblem).toBeNull();
    const gpgRow = rows.find((r) => r.id === gpgId);
    expect(gpgRow).toMatchObject({
      kind: "gpg",
      fingerprint: keys.gpgProtected.fingerprint,
      keyType: "ed25519",
      inJenkins: true,
      added: { byEmail: actor.email },
      gpg: { userIds: [keys.gpgProtected.userId], passphraseRemoved: true },
    });
    expect(gpgRow?.gpg?.expiresAt?.getTime()).toBe(keys.gpgProtected.expiresAt?.getTime());

    const choices = await listCredentialChoices(db, jf.jenkins);
    expect(choices.ssh).toContainEqual({ id: sshId, description: "Backups of db1", fingerprint: keys.sshEncrypted.fingerprint });
    expect(choices.gpg).toContainEqual({ id: gpgId, description: "Backup encryption", fingerprint: keys.gpgProtected.fingerprint });
    expect(choices.ssh.some((c) => c.id === gpgId)).toBe(false);

    const audit = await db.auditEvent.findMany({ where: { action: "credential.add", target: { in: [sshId, gpgId] } } });
    expect(audit).toHaveLength(2);
  });

  it("should refuse an id Jenkins already holds, on the id field, and change nothing", async () => {
    const id = uniqueId("dup");
    await addSshKey(db, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshPlain.privateKey });
    const before = await db.auditEvent.count();
    const error = await domainError(addGpgKey(db, jf.jenkins, actor, { id, armoredKey: keys.gpgPlain.armoredPrivateKey }));
    expect([error.field, error.message]).toEqual(["id", DUPLICATE_ID_MESSAGE]);
    expect((await jf.jenkins.getCredential(id)).kind).toBe("ssh");
    expect((await db.credentialRef.findUniqueOrThrow({ where: { id } })).kind).toBe("ssh");
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("should refuse invalid keys before anything reaches Jenkins", async () => {
    const id = uniqueId("bad");
    const wrong = await domainError(
      addGpgKey(db, jf.jenkins, actor, { id, armoredKey: keys.gpgProtected.armoredPrivateKey, passphrase: "not it" }),
    );
    expect([wrong.field, wrong.message]).toEqual(["passphrase", "The passphrase does not open this key"]);
    const publicKey = await domainError(addGpgKey(db, jf.jenkins, actor, { id, armoredKey: keys.gpgPlain.armoredPublicKey }));
    expect([publicKey.field, publicKey.message]).toEqual([
      "armoredKey",
      "This is a public key; export the secret key with gpg --export-secret-keys --armor",
    ]);
    const noPassphrase = await domainError(
      addSshKey(db, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshEncrypted.privateKey }),
    );
    expect(noPassphrase.field).toBe("passphrase");
    expect(await jf.jenkins.credentialExists(id)).toBe(false);
    expect(await db.credentialRef.count({ where: { id } })).toBe(0);
  });

  it("should delete the Jenkins credential again when the database write fails", async () => {
    const id = uniqueId("comp");
    const failing = new Proxy(db, {
      get(target, property, receiver) {
        if (property === "$transaction") return () => Promise.reject(new Error("database is locked"));
        return Reflect.get(target, property, receiver);
      },
    });
    await expect(addSshKey(failing, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshPlain.privateKey })).rejects.toThrow(
      "database is locked",
    );
    expect(await jf.jenkins.credentialExists(id)).toBe(false);
    expect(await db.credentialRef.count({ where: { id } })).toBe(0);
  });

  it("should list keys made in Jenkins itself, without a fingerprint, and delete them", async () => {
    const id = uniqueId("made-in-jenkins");
    await jf.jenkins.createCredential(
      buildSshCredentialXml({ id, description: "From the Jenkins UI", username: "ops", privateKey: keys.sshPlain.privateKey }),
    );
    const row = (await listKeys(db, jf.jenkins)).keys.find((r) => r.id === id);
    expect(row).toMatchObject({
      kind: "ssh",
      description: "From the Jenkins UI",
      fingerprint: null,
      keyType: null,
      added: null,
      inJenkins: true,
    });
    expect((await readKey(db, jf.jenkins, id)).key).toMatchObject({ id, kind: "ssh", added: null });

    await deleteKey(db, jf.jenkins, actor, del(id));
    expect(await jf.jenkins.credentialExists(id)).toBe(false);
    expect((await listKeys(db, jf.jenkins)).keys.some((r) => r.id === id)).toBe(false);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "credential.delete", target: id } });
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({ removedInJenkins: true, flaggedSchedules: [] });
  });

  it("should warn about schedules using a key, and flag them as broken once the deletion is confirmed", async () => {
    const id = uniqueId("in-use");
    await addSshKey(db, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshPlain.privateKey });
    const nightly = await insertSchedule(db, `Nightly ${id}`, { sshCredentialId: id });
    const weekly = await insertSchedule(db, `Weekly ${id}`, { sshCredentialId: id, gpgCredentialId: "some-gpg" });
    const other = await insertSchedule(db, `Other ${id}`, { sshCredentialId: "another-key" });

    const usedBy = (await listKeys(db, jf.jenkins)).keys.find((r) => r.id === id)?.usedBy.map((u) => u.scheduleName);
    expect(usedBy).toEqual([`Nightly ${id}`, `Weekly ${id}`]);

    const unconfirmed = await domainError(deleteKey(db, jf.jenkins, actor, del(id)));
    expect(unconfirmed.field).toBe("confirmInUse");
    expect(unconfirmed.message).toContain(`'Nightly ${id}', 'Weekly ${id}'`);
    // Confirmed, but for fewer schedules than use it now (one was added after the warning).
    const stale = await domainError(deleteKey(db, jf.jenkins, actor, del(id, { confirmInUse: "yes", confirmedScheduleIds: nightly.id })));
    expect(stale.field).toBe("confirmInUse");
    expect(await jf.jenkins.credentialExists(id)).toBe(true);
    expect(await db.credentialRef.count({ where: { id } })).toBe(1);

    const result = await deleteKey(
      db,
      jf.jenkins,
      actor,
      del(id, { confirmInUse: "yes", confirmedScheduleIds: `${nightly.id},${weekly.id}` }),
    );
    expect(result.flagged.map((u) => u.scheduleId).sort()).toEqual([nightly.id, weekly.id].sort());
    expect(await jf.jenkins.credentialExists(id)).toBe(false);
    expect(await db.credentialRef.count({ where: { id } })).toBe(0);
    const after = await db.schedule.findMany({ where: { id: { in: [nightly.id, weekly.id, other.id] } }, orderBy: { name: "asc" } });
    expect(after.map((s) => [s.name, s.brokenReason])).toEqual([
      [`Nightly ${id}`, `The SSH key '${id}' it uses was deleted. Choose another key.`],
      [`Other ${id}`, null],
      [`Weekly ${id}`, `The SSH key '${id}' it uses was deleted. Choose another key.`],
    ]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "credential.delete", target: id } });
    expect(JSON.parse(audit.details ?? "{}").flaggedSchedules.sort()).toEqual([`Nightly ${id}`, `Weekly ${id}`]);
  });

  it("should clean up the portal's record of a key already deleted in Jenkins", async () => {
    const id = uniqueId("gone");
    await addSshKey(db, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshPlain.privateKey });
    await jf.jenkins.deleteCredential(id);
    expect((await listKeys(db, jf.jenkins)).keys.find((r) => r.id === id)).toMatchObject({
      inJenkins: false,
      fingerprint: keys.sshPlain.fingerprint,
    });
    const result = await deleteKey(db, jf.jenkins, actor, del(id));
    expect(result.removedInJenkins).toBe(false);
    expect(await db.credentialRef.count({ where: { id } })).toBe(0);
    const unknown = await domainError(deleteKey(db, jf.jenkins, actor, del(id)));
    expect(unknown.code).toBe("not-found");
  });
});

describe("when Jenkins cannot be used", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
  }, HOOK_TIMEOUT_MS);
  afterAll(() => t?.drop());
  // The list logs one line per failure to reach Jenkins; expected here.
  beforeEach(() => jest.spyOn(console, "warn").mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it("should say so plainly, keep listing what the database knows, and change nothing on add or delete", async () => {
    const id = uniqueId("known");
    await addSshKey(t.db, jf.jenkins, actor, { id, username: "backup", privateKey: keys.sshPlain.privateKey });
    const auditBefore = await t.db.auditEvent.count();

    for (const [adapter, message] of [
      [jf.down, "Jenkins cannot be reached right now."],
      [jf.badToken, "Jenkins refused the portal's user or API token (check JENKINS_USER and JENKINS_API_TOKEN)."],
    ] as const) {
      const listed = await listKeys(t.db, adapter);
      expect(listed.jenkinsProblem).toBe(message);
      expect(listed.keys.find((r) => r.id === id)).toMatchObject({ fingerprint: keys.sshPlain.fingerprint, inJenkins: null });

      const add = await domainError(
        addGpgKey(t.db, adapter, actor, { id: uniqueId("never"), armoredKey: keys.gpgPlain.armoredPrivateKey }),
      );
      expect(add.message).toBe(`${message} The key was not stored; nothing changed.`);
      const remove = await domainError(deleteKey(t.db, adapter, actor, del(id)));
      expect(remove.message).toBe(`${message} The key was not deleted; nothing changed.`);
    }
    const noJenkins = () => {
      throw new JenkinsConfigError("JENKINS_URL is not set");
    };
    const missingConfig = await domainError(
      addSshKey(t.db, noJenkins, actor, { id: uniqueId("never"), username: "backup", privateKey: keys.sshPlain.privateKey }),
    );
    expect(missingConfig.message).toMatch(/^Jenkins is not configured/);

    expect(await t.db.credentialRef.count()).toBe(1);
    expect(await t.db.auditEvent.count()).toBe(auditBefore);
    expect(await jf.jenkins.credentialExists(id)).toBe(true);
  });
});
