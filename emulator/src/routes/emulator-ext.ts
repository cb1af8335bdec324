import { HttpError, notFound, requirePost } from "../http/exchange";
import { Job } from "../model/items";
import type { RouteContext } from "./context";

// Emulator-only controls for tests and fault injection; admin only.

export async function handleEmulatorExtension(ctx: RouteContext, rest: string[]): Promise<void> {
  const { ex, core, principal } = ctx;
  core.auth.require(principal, "Overall/Administer");
  if (rest.join("/") === "api/json") {
    ex.json({ home: core.home, outboxDir: core.outboxDir, runningBuilds: core.runner.runningCount(), down: core.downUntil > Date.now() });
    return;
  }
  if (rest[0] === "restart") {
    requirePost(ex);
    const seconds = Number(ex.param("downSeconds") ?? 5);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
      throw new HttpError(400, "downSeconds must be between 0 and 3600", "text");
    core.downUntil = Date.now() + seconds * 1000;
    core.instanceId = Math.random().toString(16).slice(2, 10);
    // A hard restart: running builds die (ABORTED), queued items survive as with Jenkins' queue.xml.
    await core.runner.abortAll("SYSTEM");
    ex.json({ downUntil: core.downUntil }, 202);
    return;
  }
  const names: string[] = [];
  let i = 0;
  while (rest[i] === "job" && rest[i + 1] !== undefined) {
    names.push(rest[i + 1]!);
    i += 2;
  }
  if (names.length > 0 && rest.slice(i).join("/") === "fireTimer") {
    requirePost(ex);
    const job = core.store.resolve(names.join("/"));
    if (!(job instanceof Job)) throw notFound();
    const id = core.timers.fire(job);
    ex.redirect(201, `${ctx.root}queue/item/${id}/`);
    return;
  }
  throw notFound();
}
