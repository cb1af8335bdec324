import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { callbackUrlFor, portalUrl } from "@/lib/runs/config";
import { exportSchedulesYaml } from "@/lib/schedules/export";
import { definitionOfRow } from "@/lib/schedules/schema";

// GET /api/schedules/export — every schedule as JJB `- project:` entries for jenkins-jobs/schedule.yaml.
export async function GET() {
  if (!(await getCurrentUser())) return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  const rows = await db.schedule.findMany({ orderBy: { jobName: "asc" } });
  const yaml = exportSchedulesYaml(rows.map(definitionOfRow), callbackUrlFor(portalUrl()));
  return new NextResponse(yaml, {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="restore-drill-schedules.yaml"', "cache-control": "no-store" },
  });
}
