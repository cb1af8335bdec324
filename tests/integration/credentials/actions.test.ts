import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import type { SessionUser } from "@/lib/auth/authenticate";
import type { z } from "zod";
import type { ActionSpec, ActionState } from "@/lib/actions/action";
import type { Db } from "@/lib/db/client";
import { filesBelow, findNeedles, needlesFor, passphraseNeedle, scanFiles, type Needle } from "./leak-scan";
import { GPG_PASSPHRASE, SSH_PASSPHRASE, makeKeys, startJenkins, type JenkinsFixture, type KeyFixture } from "./support";

// The server action path (what the Credentials page's forms call, minus the
// Next.js binding), configured from the environment as the portal is, and the
// secret-leak scan of item 5: after adding keys, the database file, everything
// logged, every action result and every API-shaped answer are searched for the
// keys, the passphrases and their base64.

const HOOK_TIMEOUT_MS = 120_000;

let keys: KeyFixture;
let jf: JenkinsFixture;
let dbDir: string;
let dbUrl: string;
let db: Db;
let actions: typeof import("@/lib/credentials/actions");
let runAction: typeof import("@/lib/actions/action").runAction;
let list: typeof import("@/lib/credentials/list");
let getJenkins: typeof import("@/lib/jenkins").getJenkins;
let manager: SessionUser;
let user: SessionUser;
const logged: string[] = [];
const answers: unknown[] = [];

beforeAll(async () => {
  [keys, jf] = await Promise.all([makeKeys(), startJenkins()]);
  // The portal's modules read DATABASE_URL and JENKINS_* when first loaded, so nothing
  // under lib/ is imported before these are set (hence the dynamic imports).
  dbDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-credentials-actions-"));
  dbUrl = `file:${path.join(dbDir, "portal.db")}`;
  process.env.DATABASE_URL = dbUrl;
  process.env.JENKINS_URL = jf.emulator.url;
  process.env.JENKINS_USER = jf.emulator.admin.id;
  process.env.JENKINS_API_TOKEN = jf.emulator.admin.token;
  await (await import("@/lib/db/migrate-database")).migrateDatabase(dbUrl);
  ({ db } = await import("@/lib/db/client"));
  actions = await import("@/lib/credentials/actions");
  ({ runAction } = await import("@/lib/actions/action"));
  list = await import("@/lib/credentials/list");
  ({ getJenkins } = await import("@/lib/jenkins"));
  const m = await db.user.create({ data: { email: "keys-manager@example.com", name: "M", role: "manager", passwordHash: "x" } });
  const u = await db.user.create({ data: { email: "keys-user@example.com", name: "U", role: "user", passwordHash: "x" } });
  manager = { ...m, mustChangePassword: false };
  user = { ...u, mustChangePassword: false };
  // Everything the code under test logs, whatever the level.
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10 }))).join(" "));
    });
  }
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  jest.restoreAllMocks();
  await db?.$disconnect();
  if (dbDir) fs.rmSync(dbDir, { recursive: true, force: true });
  await jf?.emulator.cleanup();
  await keys?.cleanup();
});

async function act(spec: keyof typeof actions, who: SessionUser, form: Record<string, string>): Promise<ActionState> {
  const state = await runAction(actions[spec] as ActionSpec<z.ZodType>, who, form);
  answers.push(state);
  return state;
}

const sshForm = (id: string) => ({
  id,
  description: "db1 backups",
  username: "backup",
  privateKey: keys.sshEncrypted.privateKey,
  passphrase: SSH_PASSPHRASE,
});
const gpgForm = (id: string) => ({
  id,
  description: "backup encryption",
  armoredKey: keys.gpgProtected.armoredPrivateKey,
  passphrase: GPG_PASSPHRASE,
});

describe("the credentials server actions", () => {
  it("should refuse users and store nothing", async () => {
    expect((await act("addSshKeyAction", user, sshForm("by-a-user"))).code).toBe("forbidden");
    expect((await act("addGpgKeyAction", user, gpgForm("by-a-user"))).code).toBe("forbidden");
    expect((await act("deleteKeyAction", user, { id: "anything" })).code).toBe("forbidden");
    expect(await jf.jenkins.credentialExists("by-a-user")).toBe(false);
    expect(await db.credentialRef.count()).toBe(0);
  });

  it("should add keys for a manager and answer with the id and fingerprint only", async () => {
    const ssh = await act("addSshKeyAction", manager, sshForm("prod-ssh"));
    expect(ssh).toEqual({
      status: "ok",
      message: `Added SSH key 'prod-ssh' (${keys.sshEncrypted.fingerprint}).`,
      result: { id: "prod-ssh" },
    });
    const gpg = await act("addGpgKeyAction", manager, gpgForm("prod-gpg"));
    expect(gpg).toEqual({
      status: "ok",
      message: `Added GPG key 'prod-gpg' (${keys.gpgProtected.fingerprint}).`,
      result: { id: "prod-gpg" },
    });
    expect((await jf.jenkins.getCredential("prod-gpg")).kind).toBe("gpg");
  });

  it("should put refusals next to the field and give back the other values but never the key or passphrase", async () => {
    const duplicate = await act("addGpgKeyAction", manager, gpgForm("prod-ssh"));
    expect(duplicate).toMatchObject({
      status: "error",
      code: "invalid",
      fieldErrors: { id: ["A key with this id already exists in Jenkins"] },
    });
    expect(duplicate.values).toEqual({ id: "prod-ssh", description: "backup encryption" });

    const wrong = await act("addSshKeyAction", manager, { ...sshForm("other-ssh"), passphrase: `${SSH_PASSPHRASE}-wrong` });
    expect(wrong.fieldErrors).toEqual({ passphrase: ["The passphrase does not open this key"] });
    expect(Object.keys(wrong.values ?? {}).sort()).toEqual(["description", "id", "username"]);

    const publicKey = await act("addGpgKeyAction", manager, { id: "pub", armoredKey: keys.gpgPlain.armoredPublicKey });
    expect(publicKey.fieldErrors).toEqual({
      armoredKey: ["This is a public key; export the secret key with gpg --export-secret-keys --armor"],
    });
  });

  it("should never let the keys, the unlocked GPG key or the passphrases out of Jenkins", async () => {
    // Answers an API client or page would get: the list, and re-reading each key.
    answers.push(
      await list.listKeys(db, getJenkins),
      await list.readKey(db, getJenkins, "prod-ssh"),
      await list.readKey(db, getJenkins, "prod-gpg"),
    );
    const reread = await list.readKey(db, getJenkins, "prod-gpg");
    expect(Object.keys(reread.key ?? {}).sort()).toEqual([
      "added",
      "description",
      "fingerprint",
      "gpg",
      "id",
      "inJenkins",
      "keyType",
      "kind",
      "ssh",
      "usedBy",
    ]);

    // What Jenkins holds for the GPG key is the unlocked key: a secret of its own.
    const store = JSON.parse(fs.readFileSync(path.join(jf.emulator.home, "credentials.json"), "utf8")) as {
      stores: Record<string, { id: string; xml: string }[]>;
    };
    const gpgXml = store.stores.system?.find((c) => c.id === "prod-gpg")?.xml ?? "";
    const unlocked = Buffer.from(/<secretBytes>([^<]+)<\/secretBytes>/.exec(gpgXml)?.[1] ?? "", "base64").toString("utf8");
    expect(unlocked.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----")).toBe(true);

    const needles: Needle[] = [
      ...needlesFor("ssh key", keys.sshEncrypted.privateKey),
      ...needlesFor("gpg key", keys.gpgProtected.armoredPrivateKey),
      ...needlesFor("unlocked gpg key", unlocked),
      ...passphraseNeedle("ssh passphrase", SSH_PASSPHRASE),
      ...passphraseNeedle("gpg passphrase", GPG_PASSPHRASE),
    ];
    // The scan can fail: Jenkins' own store holds the key material, and the needles find it there.
    const inJenkins = scanFiles([path.join(jf.emulator.home, "credentials.json")], needles).map((finding) => finding.split(": ").pop());
    expect(inJenkins).toEqual(expect.arrayContaining(["ssh key body line 1", "ssh passphrase", "unlocked gpg key base64 of the key at 0"]));

    await db.$disconnect();
    const dbFiles = filesBelow(dbDir);
    expect(dbFiles.length).toBeGreaterThan(0);
    expect(scanFiles(dbFiles, needles)).toEqual([]);
    expect(findNeedles(logged.join("\n"), needles)).toEqual([]);
    expect(findNeedles(JSON.stringify(answers), needles)).toEqual([]);
    expect(findNeedles(inspect(answers, { depth: 20 }), needles)).toEqual([]);
  });
});
