import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

// GET /api/v1/openapi.json: public, like any API description; it holds no data.
export function GET() {
  return Response.json(openApiDocument(), { headers: { "access-control-allow-origin": "*" } });
}
