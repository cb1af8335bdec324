import { NextResponse, type NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { deleteKeySchema } from "@/lib/credentials/schemas";
import { listKeys, readKey } from "@/lib/credentials/list";
import { db } from "@/lib/db/client";
import { badRequest, forbidden, notFound, unauthenticated } from "@/lib/http/responses";
import { getJenkins } from "@/lib/jenkins";

// GET /api/credentials          — every SSH and GPG key: metadata only (managers).
// GET /api/credentials?id=KEY   — re-reads one key from Jenkins (redacted by Jenkins) plus the portal's metadata.
// proxy.ts already refuses non-managers; checked again here because this route describes keys.
export async function GET(req: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return unauthenticated();
  if (user.role !== "manager") return forbidden();

  const rawId = req.nextUrl.searchParams.get("id");
  if (rawId === null) return NextResponse.json(await listKeys(db, getJenkins));

  const id = deleteKeySchema.shape.id.safeParse(rawId);
  if (!id.success) return badRequest(id.error.issues[0]?.message ?? "Invalid id");
  const { key, jenkinsProblem } = await readKey(db, getJenkins, id.data);
  if (!key) return notFound("No key with this id.", "not-found", { jenkinsProblem });
  return NextResponse.json({ key, jenkinsProblem });
}
