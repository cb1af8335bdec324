import { OPERATIONS } from "@/lib/api/operations";
import { runOr404, runSummary } from "@/lib/api/present";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { decodeRunCursor, resultsPage } from "@/lib/results/query";
import { portalUrl } from "@/lib/runs/config";
import { serverJenkins } from "@/lib/runs/server";
import { startRun } from "@/lib/runs/start-run";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute(OPERATIONS.startRun, async ({ user, body, origin }) => {
  const { runId } = await startRun({ db, jenkins: serverJenkins(), portalUrl: portalUrl() }, user, body);
  const run = await runOr404(db, runId, origin);
  return { status: 202, body: { run, message: "Restore started." }, headers: { location: `/api/v1/runs/${runId}` }, target: runId };
});

export const GET = apiRoute(OPERATIONS.listRuns, async ({ query, origin }) => {
  const { runs, next } = await resultsPage(db, query, decodeRunCursor(query.after));
  return { status: 200, body: { runs: runs.map((r) => runSummary(r, origin)), next } };
});
