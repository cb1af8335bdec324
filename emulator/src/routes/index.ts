import type { IncomingMessage, ServerResponse } from "node:http";
import { AuthFailure } from "../auth";
import type { EmulatorCore } from "../core";
import { CredentialXmlError } from "../credentials/credential";
import { CredentialsError } from "../credentials/store";
import { Exchange, HttpError, notFound } from "../http/exchange";
import { Folder, ItemError, Job, type Container } from "../model/items";
import { UnsupportedItemTypeError } from "../model/job-config";
import { TreeSyntaxError } from "../api/tree";
import { XmlSyntaxError } from "../xml";
import type { RouteContext } from "./context";
import { handleEmulatorExtension } from "./emulator-ext";
import { handleFolder, handleJob } from "./job";
import { handleContainer } from "./root";

const RESTART_PAGE = `<!DOCTYPE html><html><head><title>Jenkins</title></head><body><div id="restarting"><h1>Please wait while Jenkins is restarting<span>...</span></h1><p>Your browser will reload automatically when Jenkins is ready.</p></div></body></html>\n`;

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof AuthFailure) return new HttpError(err.status, err.message, "html", err.headers);
  if (err instanceof ItemError) return new HttpError(err.status, err.message, err.status === 400 ? "x-error" : "html");
  if (err instanceof CredentialsError) return new HttpError(err.status, err.message, "html");
  if (err instanceof XmlSyntaxError || err instanceof UnsupportedItemTypeError || err instanceof CredentialXmlError) {
    return new HttpError(500, `java.io.IOException: Unable to read: ${err.message}`);
  }
  if (err instanceof TreeSyntaxError) return new HttpError(400, err.message);
  if (err instanceof SyntaxError) return new HttpError(400, `Malformed request: ${err.message}`, "text");
  console.error("[jenkins-emulator] internal error:", err);
  return new HttpError(500, "Internal error");
}

async function dispatch(core: EmulatorCore, ex: Exchange): Promise<void> {
  await ex.readBody();
  const root = ex.rootUrl(core.baseUrl);
  const principal = core.auth.authenticate(ex.req);
  const ctx: RouteContext = { core, ex, principal, root, api: core.apiContext(root, core.auth.has(principal, "Job/Read")) };
  if (ex.segments[0] === "emulator") return handleEmulatorExtension(ctx, ex.segments.slice(1));
  if (core.downUntil > Date.now()) return ex.send(503, "text/html;charset=utf-8", RESTART_PAGE);
  core.auth.checkCrumb(
    principal,
    ex.method,
    (ex.req.headers["jenkins-crumb"] as string | undefined) ?? ex.form.get("Jenkins-Crumb") ?? undefined,
  );
  core.auth.require(principal, "Overall/Read");

  let segments = ex.segments;
  if (segments[0] === "manage" && segments[1] === "credentials") segments = segments.slice(1);
  let container: Container = core.store;
  let i = 0;
  while (segments[i] === "job") {
    const name = segments[i + 1];
    const item = name === undefined ? undefined : container.items.get(name);
    // Jenkins.getItem: an item the user may not read (and not discover) does not exist for it.
    if (!item || !core.auth.has(principal, "Job/Read")) throw notFound();
    i += 2;
    if (item instanceof Job) return handleJob(ctx, item, segments.slice(i));
    if (segments[i] !== "job") {
      const rest = segments.slice(i);
      if (rest[0] !== "createItem" && rest[0] !== "credentials" && handleFolder(ctx, item, rest)) return;
    }
    container = item as Folder;
  }
  handleContainer(ctx, container, segments.slice(i));
}

export function createRequestHandler(core: EmulatorCore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const ex = new Exchange(req, res, core.instanceId, core.behaviour.version);
    dispatch(core, ex).catch((err: unknown) => {
      if (res.headersSent) return res.end();
      ex.error(toHttpError(err));
    });
  };
}
