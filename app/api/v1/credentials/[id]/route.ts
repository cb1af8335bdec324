import { OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { deleteKey } from "@/lib/credentials/manage";
import { db } from "@/lib/db/client";
import { getJenkins } from "@/lib/jenkins";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const DELETE = apiRoute(OPERATIONS.deleteCredential, async ({ params, query, user }) => {
  await deleteKey(db, getJenkins, user, { id: params.id, ...query });
  return { status: 204 };
});
