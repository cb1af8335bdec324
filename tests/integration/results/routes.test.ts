import { freshDatabase, type TestDatabase } from "@/tests/support/databases";

// The real export route modules with bad filters: 400 with a JSON message, never a 500, and
// nothing recorded (the filters are checked before anything else happens).

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase("sqlite");
  process.env.DATABASE_URL = t.url;
  // lib/db/client made its process-wide client before DATABASE_URL pointed here.
  delete (globalThis as { restoreDrillDb?: unknown }).restoreDrillDb;
  jest.resetModules();
});
afterAll(() => t?.drop());

const get = (path: string) => new Request(`http://portal.test${path}`);

it.each([
  ["/api/results/export?from=2026-03-09&to=2026-03-08", "to", "The end date is before the start date."],
  ["/api/results/export?from=2026-13-01", "from", "Enter a date as YYYY-MM-DD."],
  ["/api/results/export?status=green", "status", "Choose a verdict from the list."],
  ["/api/results/export?tz=Nowhere%2FLand", "tz", "Unknown time zone (expected e.g. Europe/Dublin)."],
  ["/api/results/export?dbType=oracle&dbType=mysql", "dbType", "Choose a database type from the list."],
  ["/api/audit/export?from=2026-02-01&to=2026-01-01", "to", "The end date is before the start date."],
  ["/api/audit/export?outcome=maybe", "outcome", "Choose an outcome from the list."],
])("GET %s answers 400 naming %s", async (path, field, message) => {
  const route = path.startsWith("/api/results")
    ? await import("@/app/api/results/export/route")
    : await import("@/app/api/audit/export/route");
  const response = await route.GET(get(path));
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { error: string; message: string; fields: Record<string, string[]> };
  expect(body.error).toBe("bad-filters");
  expect(body.fields[field]).toEqual([message]);
  expect(body.message).toContain(message);
  expect(await t.db.auditEvent.count()).toBe(0);
});
