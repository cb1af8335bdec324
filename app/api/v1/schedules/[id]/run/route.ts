import { OPERATIONS } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { scheduleDeps } from "@/lib/api/schedule-deps";
import { runScheduleNow } from "@/lib/schedules/manage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute(OPERATIONS.runSchedule, async ({ params, user, request }) => {
  // An Idempotency-Key makes a retried request start no second build (lib/schedules/run-now.ts).
  const { queueId } = await runScheduleNow(scheduleDeps(), user, params.id, request.headers.get("idempotency-key") ?? undefined);
  return { status: 202, body: { message: "Started: the run appears in the results within a few seconds.", queueId } };
});
