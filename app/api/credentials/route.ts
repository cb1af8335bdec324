import { NextResponse, type NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { deleteKeySchema } from "@/lib/credentials/schemas";
import { listKeys, readKey } from "@/lib/credentials/list";
import { db } from "@/lib/db/client";
import { getJenkins } from "@/lib/jenkins";

// GET /api/credentials          — every SSH and GPG key: metadata only (managers).
// GET /api/credentials?id=KEY   — re-reads one key from Jenkins (redacted by Jenkins) plus the portal's metadata.
// proxy.ts already refuses non-managers; checked again here because this route describes keys.
export async function GET(req: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  if (user.role !== "manager") return NextResponse.json({ error: "forbidden", message: "Managers only." }, { status: 403 });

  const rawId = req.nextUrl.searchParams.get("id");
  if (rawId === null) return NextResponse.json(await listKeys(db, getJenkins));

  const id = deleteKeySchema.shape.id.safeParse(rawId);
  if (!id.success) return NextResponse.json({ error: "invalid", message: id.error.issues[0]?.message ?? "Invalid id" }, { status: 400 });
  const { key, jenkinsProblem } = await readKey(db, getJenkins, id.data);
  if (!key) return NextResponse.json({ error: "not-found", message: "No key with this id.", jenkinsProblem }, { status: 404 });
  return NextResponse.json({ key, jenkinsProblem });
}
