import { exportBean } from "../api/bean";
import { folderBean, jobBean, PERMALINKS, permalink, type Permalink } from "../api/representations";
import { HttpError, notFound, requirePost } from "../http/exchange";
import { Folder, Job, type Item } from "../model/items";
import { parametersFor, ParameterError, type ValueOrigin } from "../runner/parameters";
import { remoteCause, userCause } from "../runner/causes";
import { escapeXml } from "../xml";
import { handleBuild } from "./build";
import { exportOptions, type RouteContext } from "./context";

/** TimeDuration: "<n>sec" or a bare number of milliseconds. */
function parseDelay(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const m = /^(\d+)\s*(sec|secs|s)?$/.exec(value.trim());
  if (!m) throw new HttpError(400, `Invalid delay: ${value}`, "text");
  return m[2] ? Number(m[1]) * 1000 : Number(m[1]);
}

function deleteItem(ctx: RouteContext, item: Item): void {
  const jobs = item instanceof Folder ? ctx.core.store.allJobs(item) : [item];
  for (const job of jobs) {
    ctx.core.queue.forgetJob(job);
    ctx.core.runner.abort(job, ctx.core.runner.isBuilding(job) ?? -1, ctx.principal.user?.id ?? "SYSTEM");
  }
  if (item instanceof Folder) {
    ctx.core.credentials.dropStore(`folder:${item.fullName}`);
    for (const sub of [...item.items.values()]) if (sub instanceof Folder) ctx.core.credentials.dropStore(`folder:${sub.fullName}`);
  }
  ctx.core.store.delete(item);
}

function buildCause(ctx: RouteContext) {
  const token = ctx.ex.param("token");
  if (token) return remoteCause(ctx.ex.req.socket.remoteAddress ?? "127.0.0.1", ctx.ex.param("cause") ?? null);
  return userCause(ctx.principal.user?.id ?? "anonymous");
}

function trigger(ctx: RouteContext, job: Job, withParameters: boolean): void {
  const { ex, core, principal } = ctx;
  requirePost(ex);
  core.auth.require(principal, "Job/Build");
  if (job.disabled) throw new HttpError(409, `${job.fullName} is not buildable`, "text");
  const delay = parseDelay(ex.param("delay"));
  const parameterized = job.def.parameters.length > 0;
  let supplied: Map<string, string>;
  let origin: ValueOrigin = "request";
  if (withParameters) {
    if (!parameterized) throw new HttpError(400, `${job.fullName} is not parameterized`, "text");
    supplied = new Map(
      job.def.parameters.flatMap((d) => (ex.param(d.name) === undefined ? [] : [[d.name, ex.param(d.name)!] as [string, string]])),
    );
  } else if (parameterized) {
    const json = ex.param("json");
    if (!json) throw new HttpError(400, "This page expects a form submission but had only {}", "text");
    const raw = (JSON.parse(json) as { parameter?: unknown }).parameter;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ name?: unknown; value?: unknown }>;
    supplied = new Map(list.filter((p) => typeof p.name === "string").map((p) => [String(p.name), String(p.value ?? "")]));
    origin = "form";
  } else supplied = new Map();
  let parameters;
  try {
    parameters = parametersFor(job, supplied, origin);
  } catch (err) {
    if (err instanceof ParameterError) throw new HttpError(500, `java.lang.IllegalArgumentException: ${err.message}`);
    throw err;
  }
  const { item, created } = core.schedule(job, parameters, [buildCause(ctx)], delay);
  const location = `${ctx.root}queue/item/${item.id}/`;
  // Jenkins ≥ 2.308 answers a duplicate buildWithParameters with 303 to the queued item.
  ex.redirect(withParameters && !created ? 303 : 201, location);
}

function handleItemCommon(ctx: RouteContext, item: Item, rest: string[]): boolean {
  const { ex, core, principal } = ctx;
  const action = rest.join("/");
  if (action === "config.xml" && ex.method === "GET") {
    core.auth.require(principal, "Job/Configure");
    // Stored as Jenkins re-serialised it (model/reserialise.ts), declaration included.
    ex.xml(item.configXml);
  } else if (action === "config.xml" && ex.method === "POST") {
    core.auth.require(principal, "Job/Configure");
    core.store.updateConfig(item, ex.body.toString("utf8"));
    ex.empty(200);
  } else if (action === "doDelete") {
    requirePost(ex);
    core.auth.require(principal, "Job/Delete");
    deleteItem(ctx, item);
    ex.redirect(302, `${ctx.root}${item.parent.urlPath}`);
  } else if (action === "" && ex.req.method === "DELETE") {
    core.auth.require(principal, "Job/Delete");
    deleteItem(ctx, item);
    ex.empty(204);
  } else if (action === "" && ex.method === "GET") {
    ex.send(
      200,
      "text/html;charset=utf-8",
      `<html><head><title>${escapeXml(item.fullDisplayName)} [Jenkins]</title></head><body></body></html>\n`,
    );
  } else return false;
  return true;
}

export function handleFolder(ctx: RouteContext, folder: Folder, rest: string[]): boolean {
  if (rest.join("/") === "api/json") {
    ctx.ex.json(exportBean(folderBean(folder, ctx.api), exportOptions(ctx.ex)));
    return true;
  }
  return handleItemCommon(ctx, folder, rest);
}

export function handleJob(ctx: RouteContext, job: Job, rest: string[]): void {
  const { ex, core, principal } = ctx;
  const action = rest.join("/");
  if (action === "api/json") {
    ex.json(exportBean(jobBean(job, ctx.api), exportOptions(ex)));
  } else if (action === "enable" || action === "disable") {
    requirePost(ex);
    core.auth.require(principal, "Job/Configure");
    core.store.setDisabled(job, action === "disable");
    ex.redirect(302, `${ctx.root}${job.urlPath}`);
  } else if (action === "build") {
    trigger(ctx, job, false);
  } else if (action === "buildWithParameters") {
    trigger(ctx, job, true);
  } else if (handleItemCommon(ctx, job, rest)) {
    return;
  } else {
    const head = rest[0] ?? "";
    const build = /^\d+$/.test(head)
      ? job.builds.get(Number(head))
      : PERMALINKS.includes(head as Permalink)
        ? permalink(job, head as Permalink)
        : undefined;
    if (!build) throw notFound();
    handleBuild(ctx, job, build, rest.slice(1));
  }
}
