import fs from "node:fs";
import path from "node:path";
import { exportBean } from "../api/bean";
import { removeNotes } from "../console/notes";
import { buildBean } from "../api/representations";
import { notFound, requirePost } from "../http/exchange";
import type { BuildRecord } from "../model/build-record";
import type { Job } from "../model/items";
import { escapeXml } from "../xml";
import { exportOptions, type RouteContext } from "./context";

/**
 * logText/progressiveText and progressiveHtml (stapler LargeText.doProgressText, Jenkins
 * AnnotatedLargeText). Offsets are positions in the raw log, notes included.
 * - current line (≥ 2.509): the text body is the raw log from `start` — notes included — and
 *   X-Text-Size is the file's length; while the build runs only whole lines are written, so an
 *   unfinished last line is skipped (JENKINS-26682): it is never sent from this offset.
 * - 2.492 line: the body has the notes stripped (PlainTextConsoleOutputStream) and X-Text-Size
 *   is the raw offset just past the last whole line written.
 * progressiveHtml strips notes in both (the real one renders them as markup).
 * Both lines send each "\n" as "\r\n" (stapler's LineEndNormalizingWriter); X-Text-Size still
 * counts the log file's bytes.
 */
function progressive(ctx: RouteContext, job: Job, build: BuildRecord, html: boolean): void {
  const file = path.join(job.buildDir(build.number), "log");
  if (!fs.existsSync(file)) {
    ctx.ex.send(200, html ? "text/html;charset=UTF-8" : "text/plain;charset=UTF-8", "", { "X-Text-Size": "0", "X-More-Data": "true" });
    return;
  }
  const log = fs.readFileSync(file);
  let start = Number(ctx.ex.param("start") ?? 0);
  if (!Number.isFinite(start) || start < 0 || start > log.length) start = 0;
  let end = build.building ? log.lastIndexOf(0x0a) + 1 : log.length;
  if (end < start) end = start;
  const raw = log.subarray(start, end).toString("utf8");
  const rawMode = !html && ctx.core.behaviour.rawProgressiveLog;
  const headers: Record<string, string> = { "X-Text-Size": String(rawMode ? log.length : end) };
  if (build.building) headers["X-More-Data"] = "true";
  if (html) ctx.ex.send(200, "text/html;charset=UTF-8", crlf(escapeXml(removeNotes(raw))), { ...headers, "X-ConsoleAnnotator": "" });
  else ctx.ex.send(200, "text/plain;charset=UTF-8", crlf(rawMode ? raw : removeNotes(raw)), headers);
}

/** LineEndNormalizingWriter: a "\n" not already after "\r" becomes "\r\n". */
function crlf(text: string): string {
  return text.replace(/(?<!\r)\n/g, "\r\n");
}

export function handleBuild(ctx: RouteContext, job: Job, build: BuildRecord, rest: string[]): void {
  const { ex, core, principal } = ctx;
  const action = rest.join("/");
  if (action === "" && ex.method === "GET") {
    ex.send(
      200,
      "text/html;charset=utf-8",
      `<html><head><title>${escapeXml(job.fullDisplayName)} #${build.number} [Jenkins]</title></head><body></body></html>\n`,
    );
  } else if (action === "api/json") {
    ex.json(exportBean(buildBean(job, build, ctx.api), exportOptions(ex)));
  } else if (action === "consoleText") {
    const file = path.join(job.buildDir(build.number), "log");
    // Run.doConsoleText: the whole log through PlainTextConsoleOutputStream (notes removed).
    ex.text(fs.existsSync(file) ? removeNotes(fs.readFileSync(file, "utf8")) : "");
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
