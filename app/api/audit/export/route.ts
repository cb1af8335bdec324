import { exportAuditCsv, parseAuditFilters } from "@/lib/audit/query";
import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { badFilters, forbidden, unauthenticated } from "@/lib/http/responses";

// GET /api/audit/export?<the audit page's filters> — the filtered trail as CSV, streamed (managers).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const parsed = parseAuditFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return badFilters(parsed.errors);
  const user = await getCurrentUser();
  if (!user) return unauthenticated();
  // proxy.ts already refuses non-managers (lib/auth/policy.ts); this keeps the route safe on its own.
  if (user.role !== "manager") return forbidden("Only managers may export the audit trail.");
  return exportAuditCsv(db, parsed.filters, { actor: user, address: await requestAddress() });
}
