import { OPERATIONS } from "@/lib/api/operations";
import { scheduleFormValues, scheduleOr404 } from "@/lib/api/present";
import { ApiProblem, zodFieldErrors } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { scheduleDeps } from "@/lib/api/schedule-deps";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { deleteSchedule, updateSchedule } from "@/lib/schedules/manage";
import { scheduleInputSchema } from "@/lib/schedules/schema";
import { scheduleDetail } from "@/lib/schedules/view";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(OPERATIONS.getSchedule, async ({ params }) => ({ status: 200, body: await scheduleOr404(db, params.id) }));

// A PATCH is merged onto the schedule as the form shows it, and the whole is checked by the form's schema.
export const PATCH = apiRoute(OPERATIONS.updateSchedule, async ({ params, user, body }) => {
  const current = await scheduleDetail(db, params.id);
  if (!current) throw new DomainError("That schedule no longer exists.", { code: "not-found" });
  const parsed = scheduleInputSchema.safeParse({ ...scheduleFormValues(current), ...body });
  if (!parsed.success) throw new ApiProblem("validation", "Check the fields listed in `errors`.", zodFieldErrors(parsed.error));
  await updateSchedule(scheduleDeps(), user, params.id, parsed.data);
  return { status: 200, body: await scheduleOr404(db, params.id) };
});

export const DELETE = apiRoute(OPERATIONS.deleteSchedule, async ({ params, user }) => {
  await deleteSchedule(scheduleDeps(), user, params.id);
  return { status: 204 };
});
