import { db } from "@/lib/db/client";
import { liveRuns } from "@/lib/runs/server";
import { runEventsResponse } from "@/lib/runs/sse";

// GET /api/runs/[id]/events?logOffset=N — the run page's live feed (Server-Sent Events); see lib/runs/sse.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  return runEventsResponse({ db, live: liveRuns() }, request, id);
}
