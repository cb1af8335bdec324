import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeXml } from "../xml";

// Request/response helpers that send exactly the headers and content types
// Jenkins sends (node-jenkins only parses JSON for application/json).

const MAX_BODY = 64 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind: "html" | "text" | "x-error" = "html",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class Exchange {
  readonly url: URL;
  readonly segments: string[];
  form = new URLSearchParams();
  body = Buffer.alloc(0);

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly sessionHeader: string,
    /** X-Jenkins: the emulated version */
    readonly jenkinsVersion: string,
  ) {
    this.url = new URL(req.url ?? "/", "http://emulator.invalid");
    this.segments = this.url.pathname
      .split("/")
      .filter((s) => s !== "")
      .map((s) => decodeURIComponent(s));
  }

  get method(): string {
    return this.req.method === "HEAD" ? "GET" : (this.req.method ?? "GET");
  }

  get isHead(): boolean {
    return this.req.method === "HEAD";
  }

  /** Root URL as Stapler derives it from the request's Host header. */
  rootUrl(fallback: string): string {
    const host = this.req.headers.host;
    return host ? `http://${host}/` : fallback;
  }

  contentType(): string {
    return (this.req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  }

  async readBody(): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new HttpError(413, "Request body too large");
      chunks.push(chunk as Buffer);
    }
    this.body = Buffer.concat(chunks);
    if (this.contentType() === "application/x-www-form-urlencoded") this.form = new URLSearchParams(this.body.toString("utf8"));
  }

  /** A parameter from the query string or the urlencoded form, like Stapler's req.getParameter. */
  param(name: string): string | undefined {
    return this.url.searchParams.get(name) ?? this.form.get(name) ?? undefined;
  }

  private base(status: number, headers: Record<string, string>): void {
    this.res.statusCode = status;
    this.res.setHeader("X-Content-Type-Options", "nosniff");
    this.res.setHeader("X-Jenkins", this.jenkinsVersion);
    this.res.setHeader("X-Hudson", "1.395");
    this.res.setHeader("X-Jenkins-Session", this.sessionHeader);
    for (const [k, v] of Object.entries(headers)) this.res.setHeader(k, v);
  }

  send(status: number, contentType: string | undefined, body: string | Buffer = "", headers: Record<string, string> = {}): void {
    this.base(status, headers);
    if (contentType) this.res.setHeader("Content-Type", contentType);
    const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    this.res.setHeader("Content-Length", String(buf.length));
    this.res.end(this.isHead ? undefined : buf);
  }

  json(value: unknown, status = 200): void {
    this.send(status, "application/json;charset=utf-8", JSON.stringify(value));
  }

  text(body: string, status = 200, headers: Record<string, string> = {}): void {
    this.send(status, "text/plain;charset=UTF-8", body, headers);
  }

  xml(body: string, contentType = "application/xml"): void {
    this.send(200, contentType, body);
  }

  empty(status = 200): void {
    this.send(status, undefined);
  }

  redirect(status: number, location: string): void {
    this.send(status, undefined, "", { Location: location });
  }

  html(status: number, title: string, message: string, headers: Record<string, string> = {}): void {
    const page = `<html><head><meta http-equiv="Content-Type" content="text/html;charset=utf-8"/><title>${escapeXml(title)}</title></head><body><h2>HTTP ERROR ${status} ${escapeXml(message)}</h2></body></html>\n`;
    this.send(status, "text/html;charset=utf-8", page, headers);
  }

  error(err: HttpError): void {
    if (err.kind === "text") this.text(`${err.message}\n`, err.status, err.headers);
    else if (err.kind === "x-error") {
      const page = `<html><head><title>Error</title></head><body><h1>Error</h1><p>${escapeXml(err.message)}</p></body></html>\n`;
      this.send(err.status, "text/html;charset=utf-8", page, { ...err.headers, "X-Error": err.message.replace(/[^\x20-\x7e]/g, "?") });
    } else this.html(err.status, `Error ${err.status} ${err.message}`, err.message, err.headers);
  }
}

export function notFound(): HttpError {
  return new HttpError(404, "Not Found");
}

export function requirePost(ex: Exchange): void {
  if (ex.method !== "POST") throw new HttpError(405, "HTTP method GET is not supported by this URL", "html", { Allow: "POST" });
}
