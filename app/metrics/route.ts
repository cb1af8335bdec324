import { renderMetrics } from "@/lib/api/metrics";
import { METRICS_OPERATION } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Prometheus scrapes this with a token that has the "metrics" scope (bearer_token in its config).
export const GET = apiRoute(
  METRICS_OPERATION,
  async () =>
    new Response(await renderMetrics(db), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    }),
);
