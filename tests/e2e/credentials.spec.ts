import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Page } from "@playwright/test";
import { expect, test } from "./checked-test";
import { createDb } from "../../lib/db/client";
import { filesBelow, findNeedles, needlesFor, passphraseNeedle, scanFiles, type Needle } from "../integration/credentials/leak-scan";
import {
  createGpgHome,
  generateGpgKey,
  generateSshKeyPair,
  makeTempDir,
  runCommand,
  type GpgHome,
  type GpgTestKey,
  type SshKeyPair,
} from "../support/keys";
import { fillRunForm, readRunFixture, submitRun, type RunFixture } from "./run-fixture";
import { MANAGER, addUser, signIn, uniqueEmail } from "./support";

// Issue 7 in the browser: a manager adds an SSH and a GPG key (made here with ssh-keygen and
// gpg), they show in the list and in the run form's pickers, and a real restore using them
// passes (tools/e2e-server.sh: emulator with the JJB jobs, a real sshd, MariaDB sandbox). Users
// cannot reach the pages or the API. Deleting a key a schedule uses warns, needs a tick, and
// flags the schedule. Throughout, every page's HTML, every API answer, the portal's database
// file, the portal's log and test-results/ are searched for the keys and passphrases.

test.describe.configure({ mode: "serial" });
// A failure trace would record the keys typed into the forms: keep traces off here so that
// test-results/ never holds key material, failing or not.
test.use({ trace: "off" });
test.setTimeout(240_000);

const SUFFIX = randomBytes(3).toString("hex");
const SSH_ID = `e2e-ssh-${SUFFIX}`;
const GPG_ID = `e2e-gpg-${SUFFIX}`;
const DOOMED_ID = `e2e-doomed-${SUFFIX}`;
const SSH_PASSPHRASE = `ssh-${randomBytes(8).toString("hex")}`;
const GPG_PASSPHRASE = `gpg-${randomBytes(8).toString("hex")}`;

let fixture: RunFixture;
let dataDir: string;
let tempDir: string;
let gpgHome: GpgHome;
let sshKey: SshKeyPair;
let gpgKey: GpgTestKey;
/** The demo MariaDB dump, re-encrypted for gpgKey, on the fixture's backup host. */
let backupPath: string;
let needles: Needle[];
const htmlSeen: string[] = [];
const jsonSeen: string[] = [];

test.beforeAll(async () => {
  fixture = readRunFixture();
  dataDir = path.dirname(fixture.databaseUrl.replace(/^file:/, ""));
  const demoDir = path.join(dataDir, "demo");
  tempDir = await makeTempDir("e2e-credentials");
  sshKey = await generateSshKeyPair({ type: "ed25519", passphrase: SSH_PASSPHRASE, dir: tempDir });
  gpgHome = await createGpgHome();
  gpgKey = await generateGpgKey(gpgHome, { passphrase: GPG_PASSPHRASE, expiresIn: "1y" });

  // The backup host lets the new SSH key in (as it does the demo key: cat only) ...
  appendFileSync(path.join(demoDir, "authorized_keys"), `restrict ${sshKey.publicKey}\n`);
  // ... and serves the sample dump encrypted for the new GPG key only.
  const plain = path.join(tempDir, "sample.sql");
  await runCommand("gpg", [
    "--batch",
    "--quiet",
    "--homedir",
    path.join(demoDir, "gnupg"),
    "--output",
    plain,
    "--decrypt",
    fixture.mariadbEncrypted.path,
  ]);
  backupPath = path.join(path.dirname(fixture.mariadbEncrypted.path), `e2e-${SUFFIX}.sql.gpg`);
  await gpgHome.gpg(["--trust-model", "always", "--recipient", gpgKey.fingerprint, "--output", backupPath, "--encrypt", plain]);
  rmSync(plain);

  needles = [
    ...needlesFor("ssh key", sshKey.privateKey),
    ...needlesFor("gpg key", gpgKey.armoredPrivateKey),
    ...passphraseNeedle("ssh passphrase", SSH_PASSPHRASE),
    ...passphraseNeedle("gpg passphrase", GPG_PASSPHRASE),
  ];
});

test.afterAll(async () => {
  await gpgHome?.cleanup();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/**
 * Keeps the server-rendered HTML of the page on show for the leak scan, and checks it right
 * away. (The browser's live DOM is not what is checked: it holds what the manager typed.)
 */
async function keepHtml(page: Page) {
  const html = await (await page.request.get(page.url())).text();
  htmlSeen.push(html);
  expect(findNeedles(html, needles), `key material in the HTML of ${page.url()}`).toEqual([]);
}

/** Every answer the portal sends the browser (pages, server action results, RSC payloads, JSON), for the scan. */
function recordResponses(page: Page) {
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/_next/static")) return;
    void response
      .text()
      .then((body) => jsonSeen.push(body))
      .catch(() => undefined);
  });
}

async function getJson(page: Page, url: string): Promise<unknown> {
  const response = await page.request.get(url);
  const text = await response.text();
  jsonSeen.push(text);
  expect(response.status(), url).toBe(200);
  return JSON.parse(text);
}

const keyRow = (page: Page, id: string) =>
  page
    .getByRole("table", { name: "Keys" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: id, exact: true }) });

test("a manager adds an SSH and a GPG key, and they appear in the list and in the run form's pickers", async ({ page }) => {
  recordResponses(page);
  await signIn(page, MANAGER.email, MANAGER.password);
  // The backup host's login is the demo SSH key's user name, as the portal recorded it.
  const demo = (await getJson(page, `/api/credentials?id=${fixture.sshCredentialId}`)) as { key: { ssh: { username: string } } };
  const username = demo.key.ssh.username;

  await page.goto("/credentials");
  const ssh = page.getByRole("form", { name: "Add an SSH key" });
  await ssh.getByLabel("Id").fill(SSH_ID);
  await ssh.getByLabel("Description").fill("E2E backup host login");
  await ssh.getByLabel("User name on the backup server").fill(username);
  await ssh.getByLabel("Private key").fill(sshKey.privateKey);
  await ssh.getByLabel(/Passphrase/).fill(SSH_PASSPHRASE);
  await ssh.getByRole("button", { name: "Add SSH key" }).click();
  await expect(ssh.getByRole("status")).toHaveText(`Added SSH key '${SSH_ID}' (${sshKey.fingerprint}).`);
  await keepHtml(page);

  await page.getByRole("radio", { name: /GPG key/ }).check();
  const gpg = page.getByRole("form", { name: "Add a GPG key" });
  await expect(gpg).toContainText("Jenkins keeps the key unlocked in its encrypted credentials store; the passphrase is not stored.");
  await expect(gpg.getByLabel(/Passphrase/)).toHaveAttribute("type", "password");
  await gpg.getByLabel("Id").fill(GPG_ID);
  await gpg.getByLabel("Description").fill("E2E backup encryption");
  const keyFile = path.join(tempDir, "key.asc");
  writeFileSync(keyFile, gpgKey.armoredPrivateKey, { mode: 0o600 });
  await gpg.getByLabel("Key file").setInputFiles(keyFile);
  rmSync(keyFile);
  // A boolean, not toHaveValue: a failure message must not print the key.
  await expect.poll(async () => (await gpg.getByLabel("Armored private key").inputValue()) === gpgKey.armoredPrivateKey).toBe(true);
  // A wrong passphrase: the message sits next to the field, which comes back empty; the key stays.
  await gpg.getByLabel(/Passphrase/).fill(`${GPG_PASSPHRASE}-wrong`);
  await gpg.getByRole("button", { name: "Add GPG key" }).click();
  await expect(gpg.locator("#field-passphrase-error")).toHaveText("The passphrase does not open this key");
  await expect(gpg.getByLabel(/Passphrase/)).toHaveValue("");
  await keepHtml(page);
  await gpg.getByLabel(/Passphrase/).fill(GPG_PASSPHRASE);
  await gpg.getByRole("button", { name: "Add GPG key" }).click();
  await expect(gpg.getByRole("status")).toHaveText(`Added GPG key '${GPG_ID}' (${gpgKey.fingerprint}).`);
  await keepHtml(page);

  // The same id again: refused on the id field by Jenkins' answer.
  await page.getByRole("radio", { name: /SSH key/ }).check();
  await ssh.getByLabel("Id").fill(GPG_ID);
  await ssh.getByLabel("User name on the backup server").fill(username);
  await ssh.getByLabel("Private key").fill(sshKey.privateKey);
  await ssh.getByLabel(/Passphrase/).fill(SSH_PASSPHRASE);
  await ssh.getByRole("button", { name: "Add SSH key" }).click();
  await expect(ssh.locator("#field-id-error")).toHaveText("A key with this id already exists in Jenkins");

  await page.reload();
  await expect(keyRow(page, SSH_ID)).toContainText(sshKey.fingerprint);
  await expect(keyRow(page, SSH_ID)).toContainText(`user ${username}`);
  await expect(keyRow(page, SSH_ID)).toContainText(MANAGER.email);
  await expect(keyRow(page, GPG_ID)).toContainText(gpgKey.fingerprint);
  await expect(keyRow(page, GPG_ID)).toContainText(gpgKey.userId);
  await expect(keyRow(page, GPG_ID)).toContainText(`expires ${gpgKey.expiresAt!.toISOString().slice(0, 10)}`);
  await expect(keyRow(page, GPG_ID)).toContainText("stored without its passphrase");
  await keepHtml(page);

  // Re-reading a key answers metadata only.
  const reread = (await getJson(page, `/api/credentials?id=${GPG_ID}`)) as { key: Record<string, unknown> };
  expect(Object.keys(reread.key).sort()).toEqual([
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
  expect(reread.key.fingerprint).toBe(gpgKey.fingerprint);
  await getJson(page, "/api/credentials");

  // The run form's pickers offer them (id — description — fingerprint).
  await page.goto("/runs/new");
  await expect(page.getByLabel("SSH key").locator("option", { hasText: SSH_ID })).toContainText(sshKey.fingerprint);
  await expect(page.getByLabel("GPG key").locator("option", { hasText: GPG_ID })).toContainText(gpgKey.fingerprint);
  await keepHtml(page);
});

test("a user sees no Credentials link and gets 403 from the pages and the API", async ({ browser }) => {
  const managerPage = await (await browser.newContext()).newPage();
  await signIn(managerPage, MANAGER.email, MANAGER.password);
  const email = uniqueEmail("keyless");
  await addUser(managerPage, { email, name: "Keyless", role: "user", password: "Keyless-pass-2026" });

  const page = await (await browser.newContext()).newPage();
  recordResponses(page);
  await signIn(page, email, "Keyless-pass-2026");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credentials" })).toHaveCount(0);
  const response = await page.goto("/credentials");
  expect(response?.status()).toBe(403);
  for (const url of ["/api/credentials", `/api/credentials?id=${SSH_ID}`]) {
    const api = await page.request.get(url);
    expect(api.status(), url).toBe(403);
    const text = await api.text();
    jsonSeen.push(text);
    expect(text).not.toContain(SSH_ID);
  }
  // The pickers are what users get: ids, descriptions and fingerprints.
  await page.goto("/runs/new");
  await expect(page.getByLabel("SSH key").locator("option", { hasText: SSH_ID })).toContainText(sshKey.fingerprint);
  await keepHtml(page);
});

test("deleting a key a schedule uses warns, needs a tick, and flags the schedule", async ({ page }) => {
  // A key of its own, so that the restore below still has the first two.
  const doomed = await generateSshKeyPair({ type: "ecdsa", dir: tempDir });
  needles.push(...needlesFor("doomed ssh key", doomed.privateKey));
  recordResponses(page);
  await signIn(page, MANAGER.email, MANAGER.password);
  await page.goto("/credentials");
  const ssh = page.getByRole("form", { name: "Add an SSH key" });
  await ssh.getByLabel("Id").fill(DOOMED_ID);
  await ssh.getByLabel("User name on the backup server").fill("backup");
  await ssh.getByLabel("Private key").fill(doomed.privateKey);
  await ssh.getByRole("button", { name: "Add SSH key" }).click();
  await expect(ssh.getByRole("status")).toHaveText(`Added SSH key '${DOOMED_ID}' (${doomed.fingerprint}).`);

  const db = createDb(fixture.databaseUrl);
  const name = `Nightly ${SUFFIX}`;
  const schedule = await db.schedule.create({
    data: {
      name,
      jobName: `restore-drill-schedule-e2e-${SUFFIX}`,
      ownerEmail: MANAGER.email,
      parameters: JSON.stringify({
        backupHost: fixture.backupHost,
        backupPort: fixture.backupPort,
        backupPath,
        backupHostKey: "",
        dbType: "mysql",
        sshCredentialId: DOOMED_ID,
        gpgCredentialId: GPG_ID,
        sandboxProvider: "local",
        notifyEmail: "",
      }),
      frequency: "daily",
      time: "03:00",
      timeZone: "UTC",
      notifyEmails: "",
      createdByEmail: MANAGER.email,
      updatedByEmail: MANAGER.email,
    },
  });
  try {
    await page.reload();
    await expect(keyRow(page, DOOMED_ID)).toContainText(name);
    await keyRow(page, DOOMED_ID)
      .getByRole("button", { name: `Delete ${DOOMED_ID}` })
      .click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("list", { name: `Schedules using ${DOOMED_ID}` })).toHaveText(name);
    // Without the tick the browser does not submit: the dialog stays and the key too.
    await dialog.getByRole("button", { name: "Delete key" }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole("checkbox", { name: /Delete it anyway and flag this schedule as broken/ }).check();
    await dialog.getByRole("button", { name: "Delete key" }).click();
    await expect(page.getByRole("status")).toHaveText(`Deleted key '${DOOMED_ID}'. 1 schedule is now flagged as broken.`);
    await expect(keyRow(page, DOOMED_ID)).toHaveCount(0);
    await keepHtml(page);

    const flagged = await db.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(flagged.brokenReason).toBe(`The SSH key '${DOOMED_ID}' it uses was deleted. Choose another key.`);
  } finally {
    await db.$disconnect();
  }
});

test("no key material or passphrase reached the database, the portal's log, any page, any API answer or test-results/", async () => {
  // What Jenkins holds for the GPG key is the key unlocked: a secret of its own, searched for too.
  const store = JSON.parse(readFileSync(path.join(dataDir, "jk", "credentials.json"), "utf8")) as {
    stores: Record<string, { id: string; xml: string }[]>;
  };
  const gpgXml = store.stores.system?.find((c) => c.id === GPG_ID)?.xml ?? "";
  const unlocked = Buffer.from(/<secretBytes>([^<]+)<\/secretBytes>/.exec(gpgXml)?.[1] ?? "", "base64").toString("utf8");
  expect(unlocked.startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----")).toBe(true);
  needles.push(...needlesFor("unlocked gpg key", unlocked));
  // The scan can find what it looks for: Jenkins' own store holds the unlocked key.
  expect(scanFiles([path.join(dataDir, "jk", "credentials.json")], needles).map((f) => f.split(": ").pop())).toContain(
    "unlocked gpg key base64 of the key at 0",
  );

  expect(htmlSeen.length).toBeGreaterThan(5);
  expect(findNeedles(htmlSeen.join("\n"), needles)).toEqual([]);
  expect(jsonSeen.length).toBeGreaterThan(20);
  expect(findNeedles(jsonSeen.join("\n"), needles)).toEqual([]);
  const portalFiles = filesBelow(dataDir).filter((file) => /restore-drill\.db|portal\.log/.test(path.basename(file)));
  expect(portalFiles.some((file) => file.endsWith("restore-drill.db"))).toBe(true);
  expect(portalFiles.some((file) => file.endsWith("portal.log"))).toBe(true);
  expect(scanFiles(portalFiles, needles)).toEqual([]);
  expect(scanFiles(filesBelow(path.resolve("test-results")), needles)).toEqual([]);
});

// Last, so that the checks above run even when a restore cannot (it needs MariaDB and the jobs).
test("a restore using the keys added through the portal passes", async ({ page }) => {
  recordResponses(page);
  await signIn(page, MANAGER.email, MANAGER.password);
  // A new key reads nothing until a manager gives it its directories.
  await page.goto("/credentials");
  const directories = page.getByRole("form", { name: `Directories for ${SSH_ID}` });
  await directories.getByRole("textbox").fill(path.dirname(backupPath));
  await directories.getByRole("button", { name: "Save directories" }).click();
  await expect(directories.getByRole("status")).toHaveText(`SSH key '${SSH_ID}' may now read: ${path.dirname(backupPath)}/.`);
  await page.goto("/runs/new");
  await fillRunForm(page, fixture, {
    backupPath,
    dbType: "mysql",
    sshCredentialId: SSH_ID,
    gpgCredentialId: GPG_ID,
    backupHostKey: fixture.hostKey,
  });
  await submitRun(page);
  await expect(page.getByRole("region", { name: "Verdict" })).toContainText("Passed", { timeout: 180_000 });
  await keepHtml(page);
  expect(findNeedles(jsonSeen.join("\n"), needles)).toEqual([]);
});
