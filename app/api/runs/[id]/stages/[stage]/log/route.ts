import { db } from "@/lib/db/client";
import { serverJenkins } from "@/lib/runs/server";
import { stageLogResponse } from "@/lib/runs/stage-logs";

// GET /api/runs/[id]/stages/[stage]/log?start=N — one poll of a stage build's console, read
// through the portal's Jenkins account (same access as the run's main log, lib/auth/policy.ts).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, context: { params: Promise<{ id: string; stage: string }> }) {
  const { id, stage } = await context.params;
  const start = new URL(request.url).searchParams.get("start") ?? undefined;
  return stageLogResponse({ db, jenkins: serverJenkins() }, { id, stage, start });
}
