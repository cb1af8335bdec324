import { Bean, exportBean } from "../api/bean";
import { computerBean, computerSetBean, computerUrlName } from "../api/computers";
import { queueBean, queueItemBean, rootBean } from "../api/representations";
import { HttpError, notFound, requirePost } from "../http/exchange";
import { Folder, type Container } from "../model/items";
import { exportOptions, type RouteContext } from "./context";
import { handleCredentials } from "./credentials";

function createItem(ctx: RouteContext, container: Container): void {
  const { ex, core, principal } = ctx;
  requirePost(ex);
  core.auth.require(principal, "Job/Create");
  const name = ex.url.searchParams.get("name");
  if (!name) throw new HttpError(400, "Query parameter 'name' is required", "x-error");
  if (ex.url.searchParams.get("mode") === "copy") {
    const from = ex.url.searchParams.get("from") ?? "";
    const source = core.store.resolveRelative(from, container);
    if (!source) throw new HttpError(400, `No such job: ${from}`, "x-error");
    const copy = core.store.create(container, name, source.configXml);
    ex.redirect(302, `${ctx.root}${copy.urlPath}`);
    return;
  }
  const type = ex.contentType();
  if (!type) throw new HttpError(400, "No Content-Type header set", "x-error");
  if (!type.startsWith("application/xml") && !type.startsWith("text/xml")) throw new HttpError(400, "No mode given", "x-error");
  core.store.create(container, name, ex.body.toString("utf8"));
  ex.empty(200);
}

function handleQueue(ctx: RouteContext, rest: string[]): void {
  const { ex, core, principal } = ctx;
  const action = rest.join("/");
  if (action === "api/json") {
    ex.json(exportBean(queueBean(core.queue.pending(), ctx.api), exportOptions(ex)));
    return;
  }
  if (action === "cancelItem") {
    requirePost(ex);
    core.auth.require(principal, "Job/Cancel");
    const id = Number(ex.param("id"));
    const item = core.queue.get(id);
    if (!item) throw new HttpError(404, `Provided id (${ex.param("id") ?? ""}) not found`);
    // Queue.doCancelItem: a left item (started or already cancelled) cannot be cancelled.
    if (!core.queue.cancel(item)) throw new HttpError(500, `Could not cancel run for id ${id}`);
    ex.empty(204);
    return;
  }
  if (rest[0] !== "item" || !/^\d+$/.test(rest[1] ?? "")) throw notFound();
  const item = core.queue.get(Number(rest[1]));
  if (!item) throw notFound();
  const tail = rest.slice(2).join("/");
  if (tail === "api/json") ex.json(exportBean(queueItemBean(item, ctx.api), exportOptions(ex)));
  else if (tail === "cancelQueue") {
    requirePost(ex);
    core.auth.require(principal, "Job/Cancel");
    core.queue.cancel(item);
    ex.empty(204);
  } else throw notFound();
}

/** ComputerSet and Computer: Overall/Read is enough, as in Jenkins (no Computer/ExtendedRead needed for api/json). */
function handleComputers(ctx: RouteContext, rest: string[]): void {
  const { ex, core } = ctx;
  const executablesOn = (node: Parameters<typeof core.runner.executablesOn>[0]) => core.runner.executablesOn(node);
  if (rest.join("/") === "api/json")
    return ex.json(exportBean(computerSetBean(core.nodes, executablesOn, ctx.api.rootUrl), exportOptions(ex)));
  const node = core.nodes.find((n) => computerUrlName(n) === rest[0]);
  if (node && rest.slice(1).join("/") === "api/json")
    return ex.json(exportBean(computerBean(node, executablesOn, ctx.api.rootUrl), exportOptions(ex)));
  throw notFound();
}

function crumbIssuer(ctx: RouteContext): void {
  const { ex, core, principal } = ctx;
  let sessionId = principal.sessionId;
  const headers: Record<string, string> = {};
  if (!sessionId) {
    sessionId = core.auth.newSession();
    headers["Set-Cookie"] = core.auth.sessionCookie(sessionId);
  }
  const bean = new Bean("hudson.security.csrf.DefaultCrumbIssuer", {
    crumb: core.auth.crumbFor(principal, sessionId),
    crumbRequestField: "Jenkins-Crumb",
  });
  ex.send(200, "application/json;charset=utf-8", JSON.stringify(exportBean(bean, exportOptions(ex))), headers);
}

/** Routes addressed to the root or a folder (`container`), after any /job/… prefix. */
export function handleContainer(ctx: RouteContext, container: Container, rest: string[]): void {
  const { ex, core } = ctx;
  const isRoot = !(container instanceof Folder);
  const head = rest[0];
  if (head === "createItem") return createItem(ctx, container);
  if (head === "credentials") {
    if (isRoot) return handleCredentials(ctx, rest.slice(1), "system", "system", ctx.root);
    return handleCredentials(ctx, rest.slice(1), "folder", `folder:${container.fullName}`, `${ctx.root}${container.urlPath}`);
  }
  if (!isRoot) throw notFound();
  if (rest.join("/") === "api/json") return ex.json(exportBean(rootBean(core.store, ctx.api, core.totalExecutors), exportOptions(ex)));
  if (rest.join("/") === "crumbIssuer/api/json") return crumbIssuer(ctx);
  if (head === "queue") return handleQueue(ctx, rest.slice(1));
  if (head === "computer") return handleComputers(ctx, rest.slice(1));
  if (rest.length === 0 && ex.method === "GET")
    return ex.send(200, "text/html;charset=utf-8", "<html><head><title>Dashboard [Jenkins]</title></head><body></body></html>\n");
  if (rest.join("/") === "whoAmI/api/json") {
    return ex.json({
      _class: "hudson.security.WhoAmI",
      anonymous: !ctx.principal.user,
      authenticated: !!ctx.principal.user,
      authorities: ctx.principal.user ? ["authenticated"] : [],
      name: ctx.principal.user?.id ?? "anonymous",
    });
  }
  throw notFound();
}
