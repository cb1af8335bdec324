import fs from "node:fs";
import path from "node:path";
import { exportBean } from "../api/bean";
import { buildBean } from "../api/representations";
import { notFound, requirePost } from "../http/exchange";
import type { BuildRecord } from "../model/build-record";
import type { Job } from "../model/items";
import { escapeXml } from "../xml";
import { exportOptions, type RouteContext } from "./context";

function progressive(ctx: RouteContext, job: Job, build: BuildRecord, html: boolean): void {
  const file = path.join(job.buildDir(build.number), "log");
  if (!fs.existsSync(file)) {
    ctx.ex.send(200, html ? "text/html;charset=UTF-8" : "text/plain;charset=UTF-8", "", { "X-Text-Size": "0", "X-More-Data": "true" });
    return;
  }
  const log = fs.readFileSync(file);
  let start = Number(ctx.ex.param("start") ?? 0);
  if (!Number.isFinite(start) || start < 0 || start > log.length) start = 0;
  // While running, only complete lines are served so a reader never sees half a line.
  let end = build.building ? log.lastIndexOf(0x0a) + 1 : log.length;
  if (end < start) end = start;
  const chunk = log.subarray(start, end).toString("utf8");
  const headers: Record<string, string> = { "X-Text-Size": String(end) };
  if (build.building) headers["X-More-Data"] = "true";
  if (html) ctx.ex.send(200, "text/html;charset=UTF-8", escapeXml(chunk), { ...headers, "X-ConsoleAnnotator": "" });
  else ctx.ex.send(200, "text/plain;charset=UTF-8", chunk, headers);
}

export function handleBuild(ctx: RouteContext, job: Job, build: BuildRecord, rest: string[]): void {
  const { ex, core, principal } = ctx;
  const action = rest.join("/");
  if (action === "" && ex.method === "GET") {
    ex.send(200, "text/html;charset=utf-8", `<html><head><title>${escapeXml(job.fullDisplayName)} #${build.number} [Jenkins]</title></head><body></body></html>\n`);
  } else if (action === "api/json") {
    ex.json(exportBean(buildBean(job, build, ctx.api), exportOptions(ex)));
  } else if (action === "consoleText") {
    const file = path.join(job.buildDir(build.number), "log");
    ex.text(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  } else if (action === "logText/progressiveText") {
    progressive(ctx, job, build, false);
  } else if (action === "logText/progressiveHtml") {
    progressive(ctx, job, build, true);
  } else if (rest[0] === "artifact" && rest.length > 1) {
    const rel = rest.slice(1).join("/");
    if (!build.artifacts.includes(rel)) throw notFound();
    ex.send(200, "application/octet-stream", fs.readFileSync(path.join(job.buildDir(build.number), "archive", rel)));
  } else if (action === "stop" || action === "term" || action === "kill") {
    requirePost(ex);
    core.auth.require(principal, "Job/Cancel");
    core.runner.abort(job, build.number, principal.user?.id ?? "anonymous");
    ex.redirect(302, ex.req.headers.referer ?? `${ctx.root}${job.urlPath}${build.number}/`);
  } else throw notFound();
}
