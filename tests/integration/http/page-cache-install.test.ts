import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { openSession } from "@/lib/auth/sessions";
import { installPageCache } from "@/lib/http/page-cache/install";
import { freshDatabase, type TestDatabase } from "../../support/databases";

// installPageCache() as the production server runs it, in a process of its own (it wraps every
// http.Server of its process): with a real session in PostgreSQL, its cookie, and the content
// version; and where it must stay out (SQLite, PAGE_CACHE_SECONDS=0).

const SECRET = "page-cache-install-test-secret-0123456789";

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; installed: boolean }> {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["tests/support/page-cache-server.ts"], {
    env: { ...process.env, NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the test server exited (${code})`)));
  });
  const { port, installed } = JSON.parse(line) as { port: number; installed: boolean };
  return { child, base: `http://127.0.0.1:${port}`, installed };
}

describe("installPageCache in a server process", () => {
  let t: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  beforeEach(async () => {
    t = await freshDatabase("postgresql");
  });
  afterEach(async () => {
    server?.child.kill();
    server = undefined;
    await t.drop();
  });

  it("should answer a signed-in session's second view of a kept page from the cache, and a write renders it again", async () => {
    const user = await t.db.user.create({ data: { email: "ann@example.test", name: "Ann", role: "user", passwordHash: "x" } });
    const sid = await openSession(t.db, user.id);
    const cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, sid }, secret: SECRET })}`;
    server = await startServer({ DATABASE_URL: t.url, PAGE_CACHE_SECONDS: "30" });
    expect(server.installed).toBe(true);
    const get = async (url: string, headers: Record<string, string> = { cookie }) => {
      const res = await fetch(server!.base + url, { headers });
      return { outcome: res.headers.get("x-page-cache"), body: await res.text() };
    };
    expect(await get("/results")).toEqual({ outcome: "miss", body: expect.stringContaining("render 1 of /results") });
    expect(await get("/results")).toEqual({ outcome: "hit", body: expect.stringContaining("render 1 of /results") });
    expect(await get("/account")).toEqual({ outcome: null, body: expect.stringContaining("render 2 of /account") });
    // No session behind the cookie: rendered, not kept.
    expect((await get("/results", { cookie: "next-auth.session-token=forged" })).outcome).toBeNull();
    await t.db.user.update({ where: { id: user.id }, data: { name: "Ann B." } });
    expect(await get("/results")).toEqual({ outcome: "miss", body: expect.stringContaining("render 4 of /results") });
    // Signing out ends the server-side session: a write, and nothing is kept for that cookie any more.
    await t.db.session.deleteMany();
    expect((await get("/results")).outcome).toBeNull();
  });

  it("should stay out on SQLite and when PAGE_CACHE_SECONDS is 0", () => {
    expect(installPageCache({ DATABASE_URL: "file:/tmp/none.db" } as unknown as NodeJS.ProcessEnv)).toBeNull();
    expect(installPageCache({ DATABASE_URL: t.url, PAGE_CACHE_SECONDS: "0" } as unknown as NodeJS.ProcessEnv)).toBeNull();
  });
});
