import { OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { runLog } from "@/lib/api/run-log";
import { db } from "@/lib/db/client";
import { serverJenkins } from "@/lib/runs/server";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(OPERATIONS.getRunLog, async ({ params, request }) =>
  runLog({ db, jenkins: serverJenkins() }, params.id, request.headers.get("range")),
);
