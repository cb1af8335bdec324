import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { badFilters, unauthenticated } from "@/lib/http/responses";
import { exportResultsCsv } from "@/lib/results/export";
import { parseResultsFilters } from "@/lib/results/filters";

// GET /api/results/export?<the results page's filters> — the filtered runs as CSV, streamed.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const parsed = parseResultsFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return badFilters(parsed.errors);
  const user = await getCurrentUser();
  if (!user) return unauthenticated();
  return exportResultsCsv(db, parsed.filters, { actor: user, address: await requestAddress() });
}
