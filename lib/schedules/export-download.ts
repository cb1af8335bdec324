import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";
import { callbackUrlFor, portalUrl } from "@/lib/runs/config";
import { exportSchedulesYaml } from "./export";
import { definitionForJob } from "./key-paths";

/** GET /api/schedules/export's answer: every schedule as JJB YAML, recorded in the audit trail like every export. */
export async function schedulesYamlDownload(db: Db, who: { actor: AuditActor; address: string | null }): Promise<Response> {
  const rows = await db.schedule.findMany({ orderBy: { jobName: "asc" } });
  const yaml = exportSchedulesYaml(await Promise.all(rows.map((row) => definitionForJob(db, row))), callbackUrlFor(portalUrl()));
  await recordAudit(db, {
    actor: who.actor,
    action: "schedule.export",
    outcome: "success",
    details: { schedules: rows.length },
    address: who.address,
  });
  return new Response(yaml, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": 'attachment; filename="restore-drill-schedules.yaml"',
      "cache-control": "no-store",
    },
  });
}
