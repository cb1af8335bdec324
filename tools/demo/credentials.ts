// Stores the demo backup host's SSH key and the demo GPG key as Jenkins credentials through
// the product's adapter and validators (the same path as a manager adding keys), plus the
// portal's CredentialRef metadata so the run form shows their fingerprints, and the directories
// the SSH key may read.
import { promises as fs } from "node:fs";
import type { Db } from "../../lib/db/client";
import { SecretValue, validateGpgCredential, validateSshCredential } from "../../lib/credentials";
import type { JenkinsAdapter } from "../../lib/jenkins";
import type { DemoFiles } from "./backup-host";

export const DEMO_SSH_CREDENTIAL_ID = "demo-backup-ssh";
export const DEMO_GPG_CREDENTIAL_ID = "demo-backup-gpg";
const RECORDED_BY = "npm start (demo)";

async function putCredential(jenkins: JenkinsAdapter, id: string, xml: SecretValue): Promise<void> {
  // Update rather than skip: the key files under DATA_DIR are the truth for the demo.
  if (await jenkins.credentialExists(id)) await jenkins.updateCredential(id, xml);
  else await jenkins.createCredential(xml);
}

export async function storeDemoCredentials(jenkins: JenkinsAdapter, db: Db, files: DemoFiles, sshUser: string): Promise<void> {
  const ssh = validateSshCredential({
    id: DEMO_SSH_CREDENTIAL_ID,
    description: "Demo backup host on 127.0.0.1",
    username: sshUser,
    privateKey: await fs.readFile(files.clientKeyPath, "utf8"),
    passphrase: "",
  });
  if (!ssh.ok) throw new Error(`demo SSH key refused: ${JSON.stringify(ssh.fieldErrors)}`);
  const gpg = await validateGpgCredential({
    id: DEMO_GPG_CREDENTIAL_ID,
    description: "Demo backup encryption key",
    armoredKey: await fs.readFile(files.gpgSecretKeyPath, "utf8"),
    passphrase: "",
  });
  if (!gpg.ok) throw new Error(`demo GPG key refused: ${JSON.stringify(gpg.fieldErrors)}`);

  await putCredential(jenkins, ssh.id, ssh.jenkinsXml);
  await putCredential(jenkins, gpg.id, gpg.jenkinsXml);

  const refs = [
    {
      id: ssh.id,
      kind: "ssh",
      description: ssh.description,
      fingerprint: ssh.metadata.fingerprint,
      keyType: ssh.metadata.keyType,
      details: JSON.stringify({ username: ssh.metadata.username, bits: ssh.metadata.bits }),
    },
    {
      id: gpg.id,
      kind: "gpg",
      description: gpg.description,
      fingerprint: gpg.metadata.fingerprint,
      keyType: gpg.metadata.algorithm,
      details: JSON.stringify({ userIds: gpg.metadata.userIds, expiresAt: gpg.metadata.expiresAt }),
    },
  ];
  for (const ref of refs) {
    await db.credentialRef.upsert({ where: { id: ref.id }, create: { ...ref, createdByEmail: RECORDED_BY }, update: ref });
  }
  // The demo key may read the demo backups and nothing else (a key without directories reads nothing).
  const prefixes = JSON.stringify([`${files.backupsDir.replace(/\/+$/, "")}/`]);
  await db.sshKeyPaths.upsert({
    where: { credentialId: ssh.id },
    create: { credentialId: ssh.id, prefixes, updatedByEmail: RECORDED_BY },
    update: { prefixes },
  });
}
