import { defineAction } from "@/lib/actions/action";
import { keyPathsFormSchema, setAllowedPrefixes } from "@/lib/credentials/key-paths";
import { addGpgKeySchema, addSshKeySchema, deleteKeySchema } from "@/lib/credentials/schemas";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { getJenkins } from "@/lib/jenkins";
import { portalUrl } from "@/lib/runs/config";
import { serverJenkins } from "@/lib/runs/server";
import { imageListFormSchema, setImageList } from "@/lib/sandbox-images/allow-list";
import { pushKeyPathsToSchedules, type KeyPathsPush } from "@/lib/schedules/key-paths-push";
import { addGpgKey, addSshKey, deleteKey } from "./manage";

// Server action specs (bound in lib/actions/credentials.ts). The key and
// passphrase fields are secretFields: a refused form never gets them back.
// getJenkins is passed uncalled so that a missing JENKINS_URL becomes a plain
// message rather than a crash.

export const addSshKeyAction = defineAction({
  name: "credentials.add-ssh",
  audit: "credential.add",
  access: "manager",
  schema: addSshKeySchema,
  secretFields: ["privateKey", "passphrase"],
  handler: async (input, { user }) => {
    const added = await addSshKey(db, getJenkins, user, input);
    return { message: `Added SSH key '${added.id}' (${added.fingerprint}).`, result: { id: added.id } };
  },
});

export const addGpgKeyAction = defineAction({
  name: "credentials.add-gpg",
  audit: "credential.add",
  access: "manager",
  schema: addGpgKeySchema,
  secretFields: ["armoredKey", "passphrase"],
  handler: async (input, { user }) => {
    const added = await addGpgKey(db, getJenkins, user, input);
    return { message: `Added GPG key '${added.id}' (${added.fingerprint}).`, result: { id: added.id } };
  },
});

export const deleteKeyAction = defineAction({
  name: "credentials.delete",
  audit: "credential.delete",
  access: "manager",
  schema: deleteKeySchema,
  handler: async (input, { user }) => {
    const { id, flagged } = await deleteKey(db, getJenkins, user, input);
    const note = flagged.length
      ? ` ${flagged.length === 1 ? "1 schedule is" : `${flagged.length} schedules are`} now flagged as broken.`
      : "";
    return { message: `Deleted key '${id}'.${note}` };
  },
});

export const setKeyPathsAction = defineAction({
  name: "credentials.set-paths",
  audit: "credential.paths",
  access: "manager",
  schema: keyPathsFormSchema,
  handler: async (input, { user }) => {
    const ref = await db.credentialRef.findUnique({ where: { id: input.credentialId }, select: { kind: true } });
    if (ref && ref.kind !== "ssh") throw new DomainError("Only SSH keys read files on backup servers.", { field: "credentialId" });
    await setAllowedPrefixes(db, user, input);
    const list = input.prefixes.length ? input.prefixes.join(", ") : "nothing (runs and schedules with it are refused)";
    const pushed = await pushKeyPathsToSchedules({ db, jenkins: serverJenkins(), portalUrl: portalUrl() }, user, input.credentialId);
    return { message: `SSH key '${input.credentialId}' may now read: ${list}.${describePush(pushed)}` };
  },
});

// The container image allow-list (lib/sandbox-images/allow-list.ts): schedule jobs read it when they
// are next rendered (Repair or an edit); their timer builds carry the list of that rendering.
export const setImageListAction = defineAction({
  name: "sandbox.set-images",
  audit: "sandbox.images",
  access: "manager",
  schema: imageListFormSchema,
  handler: async (input, { user }) => {
    await setImageList(db, user, input);
    const list = input.images.length
      ? `${input.images.join(", ")} (default ${input.images[0]})`
      : "none (container runs of this type are refused)";
    return { message: `Container images for ${input.dbType}: ${list}.` };
  },
});

/** The schedules whose jobs took the new directories, and those Jenkins would not update. */
function describePush({ updated, failed }: KeyPathsPush): string {
  const count = (n: number) => (n === 1 ? "1 schedule" : `${n} schedules`);
  const ok = updated.length ? ` The Jenkins jobs of ${count(updated.length)} now carry them.` : "";
  const bad = failed.length
    ? ` Jenkins did not update ${count(failed.length)} (${failed.join(", ")}): they show as changed; use Repair on their pages once Jenkins answers.`
    : "";
  return ok + bad;
}
