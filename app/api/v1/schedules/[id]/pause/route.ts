import { OPERATIONS } from "@/lib/api/operations";
import { scheduleOr404 } from "@/lib/api/present";
import { apiRoute } from "@/lib/api/route";
import { scheduleDeps } from "@/lib/api/schedule-deps";
import { db } from "@/lib/db/client";
import { setScheduleEnabled } from "@/lib/schedules/manage";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = apiRoute(OPERATIONS.pauseSchedule, async ({ params, user }) => {
  await setScheduleEnabled(scheduleDeps(), user, params.id, false);
  return { status: 200, body: await scheduleOr404(db, params.id) };
});
