import { OPERATIONS } from "@/lib/api/operations";
import { runOr404 } from "@/lib/api/present";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(OPERATIONS.getRun, async ({ params, origin }) => ({
  status: 200,
  body: await runOr404(db, params.id, origin),
}));
