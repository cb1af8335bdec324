import { randomBytes } from "node:crypto";
import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { signCallback } from "@/lib/runs/signature";

// The real route modules (as Next.js loads them), with hostile ids, offsets and bodies: 400, never 500.

let t: TestDatabase;
const secret = randomBytes(20).toString("hex");
beforeAll(async () => {
  t = await freshDatabase("sqlite");
  process.env.DATABASE_URL = t.url;
  process.env.RESTORE_DRILL_CALLBACK_SECRET = secret;
  process.env.JENKINS_URL = "http://127.0.0.1:9/";
  // lib/db/client made its process-wide client when the support module was imported, before
  // DATABASE_URL pointed here: drop it so the routes' imports make one for this database.
  delete (globalThis as { restoreDrillDb?: unknown }).restoreDrillDb;
  jest.resetModules();
});
afterAll(() => t?.drop());

const params = (id: string) => ({ params: Promise.resolve({ id }) });

it("GET /api/runs/[id]/events and /log refuse bad ids and offsets with 400", async () => {
  const events = await import("@/app/api/runs/[id]/events/route");
  const log = await import("@/app/api/runs/[id]/log/route");
  for (const id of ["../../etc/passwd", "x".repeat(200), "a;b", "%00"]) {
    expect((await events.GET(new Request(`http://portal.test/api/runs/x/events`), params(id))).status).toBe(400);
    expect((await log.GET(new Request(`http://portal.test/api/runs/x/log`), params(id))).status).toBe(400);
  }
  for (const offset of ["-5", "NaN", "0x10", "1.5", "123456789012345678"]) {
    expect((await events.GET(new Request(`http://portal.test/api/runs/abc/events?logOffset=${offset}`), params("abc"))).status).toBe(400);
  }
  expect((await events.GET(new Request("http://portal.test/api/runs/abc/events"), params("abc"))).status).toBe(404);
});

it("POST /api/runs/callback refuses a signed body with a hostile run id with 400, and an unsigned one with 401", async () => {
  const { POST } = await import("@/app/api/runs/callback/route");
  const body = JSON.stringify({ schemaVersion: 1, runId: "../../x" });
  const ts = Math.floor(Date.now() / 1000);
  const signed = await POST(
    new Request("http://portal.test/api/runs/callback", {
      method: "POST",
      body,
      headers: { "x-restore-drill-timestamp": String(ts), "x-restore-drill-signature": signCallback(secret, ts, body) },
    }),
  );
  expect(signed.status).toBe(400);
  const unsigned = await POST(new Request("http://portal.test/api/runs/callback", { method: "POST", body }));
  expect(unsigned.status).toBe(401);
});
