import { NextResponse } from "next/server";
import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { schedulesYamlDownload } from "@/lib/schedules/export-download";

// GET /api/schedules/export — every schedule as JJB `- project:` entries for jenkins-jobs/schedule.yaml.
export const dynamic = "force-dynamic";

export async function GET() {
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  return schedulesYamlDownload(db, { actor: user, address: await requestAddress() });
}
