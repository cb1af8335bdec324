import { OPERATIONS } from "@/lib/api/operations";
import { scheduleOr404 } from "@/lib/api/present";
import { apiRoute } from "@/lib/api/route";
import { scheduleDeps } from "@/lib/api/schedule-deps";
import { db } from "@/lib/db/client";
import { createSchedule } from "@/lib/schedules/manage";
import { listSchedules } from "@/lib/schedules/view";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(OPERATIONS.listSchedules, async () => {
  const { rows } = await listSchedules(db);
  return { status: 200, body: { schedules: rows.map(({ lastSuccessful: _omit, ...row }) => row) } };
});

export const POST = apiRoute(OPERATIONS.createSchedule, async ({ user, body }) => {
  const { id } = await createSchedule(scheduleDeps(), user, body);
  return { status: 201, body: await scheduleOr404(db, id), headers: { location: `/api/v1/schedules/${id}` }, target: id };
});
