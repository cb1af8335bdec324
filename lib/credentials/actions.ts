import { defineAction } from "@/lib/actions/action";
import { addGpgKeySchema, addSshKeySchema, deleteKeySchema } from "@/lib/credentials/schemas";
import { db } from "@/lib/db/client";
import { getJenkins } from "@/lib/jenkins";
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
    const note = flagged.length ? ` ${flagged.length === 1 ? "1 schedule is" : `${flagged.length} schedules are`} now flagged as broken.` : "";
    return { message: `Deleted key '${id}'.${note}` };
  },
});
