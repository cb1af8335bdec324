import { OPERATIONS } from "@/lib/api/operations";
import { statsOut } from "@/lib/api/present";
import { ApiProblem } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { statisticsForQuery } from "@/lib/stats/query";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// The query was checked against the same schema already; statisticsForQuery adds the page's
// defaults (last 30 days), the range cap and the "does the schedule exist" check.
export const GET = apiRoute(OPERATIONS.getStats, async ({ request }) => {
  const result = await statisticsForQuery(db, new URL(request.url).searchParams);
  if (!result.ok) throw new ApiProblem("validation", "Check the fields listed in `errors`.", result.errors);
  return { status: 200, body: statsOut(result.statistics) };
});
