import { NextResponse } from "next/server";
import { exportAuditCsv, parseAuditFilters } from "@/lib/audit/query";
import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { badFiltersResponse } from "@/lib/results/export";

// GET /api/audit/export?<the audit page's filters> — the filtered trail as CSV, streamed (managers).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const parsed = parseAuditFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return badFiltersResponse(parsed.errors);
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  // proxy.ts already refuses non-managers (lib/auth/policy.ts); this keeps the route safe on its own.
  if (user.role !== "manager") return NextResponse.json({ error: "forbidden", message: "Only managers may export the audit trail." }, { status: 403 });
  return exportAuditCsv(db, parsed.filters, { actor: user, address: await requestAddress() });
}
