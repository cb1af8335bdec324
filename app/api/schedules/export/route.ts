import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { unauthenticated } from "@/lib/http/responses";
import { schedulesYamlDownload } from "@/lib/schedules/export-download";

// GET /api/schedules/export — every schedule as JJB `- project:` entries for jenkins-jobs/schedule.yaml.
export const dynamic = "force-dynamic";

export async function GET() {
  const user = await getCurrentUser();
  if (!user) return unauthenticated();
  return schedulesYamlDownload(db, { actor: user, address: await requestAddress() });
}
