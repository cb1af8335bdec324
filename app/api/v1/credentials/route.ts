import { OPERATIONS } from "@/lib/api/operations";
import { credentialOut } from "@/lib/api/present";
import { apiRoute } from "@/lib/api/route";
import { listKeys } from "@/lib/credentials/list";
import { addGpgKey, addSshKey } from "@/lib/credentials/manage";
import { db } from "@/lib/db/client";
import { getJenkins } from "@/lib/jenkins";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(OPERATIONS.listCredentials, async () => {
  const { keys, jenkinsProblem } = await listKeys(db, getJenkins);
  return { status: 200, body: { credentials: keys.map(credentialOut), jenkinsProblem } };
});

// The key and passphrase go to Jenkins only; the answer and the trail hold id and fingerprint.
export const POST = apiRoute(OPERATIONS.addCredential, async ({ user, body }) => {
  const { kind, ...input } = body;
  const added = kind === "ssh" ? await addSshKey(db, getJenkins, user, input) : await addGpgKey(db, getJenkins, user, input);
  const { keys } = await listKeys(db, getJenkins);
  const key = keys.find((k) => k.id === added.id);
  const fallback = {
    id: added.id,
    kind,
    description: input.description,
    fingerprint: added.fingerprint,
    keyType: null,
    inJenkins: true,
    usedBy: [],
  };
  return { status: 201, body: key ? credentialOut(key) : fallback, target: added.id };
});
