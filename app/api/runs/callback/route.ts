import { db } from "@/lib/db/client";
import { callbackResponse } from "@/lib/runs/callback-route";

// POST /api/runs/callback — the pipeline reports its verdict, signed with RESTORE_DRILL_CALLBACK_SECRET.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request) {
  return callbackResponse({ db }, request);
}
