import { db } from "@/lib/db/client";
import { runLogResponse } from "@/lib/runs/log-download";
import { serverJenkins } from "@/lib/runs/server";

// GET /api/runs/[id]/log — the whole console as a download, streamed from Jenkins.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return runLogResponse({ db, jenkins: serverJenkins() }, id);
}
