import { OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { serverJenkins } from "@/lib/runs/server";
import { stopRun } from "@/lib/runs/stop-run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute(OPERATIONS.stopRun, async ({ params, user }) => {
  await stopRun({ db, jenkins: serverJenkins() }, user, params.id);
  return { status: 202, body: { message: "Stop requested: the build is being aborted; destroy still runs." } };
});
