import { FORBIDDEN_HTML } from "@/lib/auth/forbidden-page";

// The error answers of route handlers and the proxy, in one shape: { error, message, …details }
// with the matching status. `error` is a stable word for programs, `message` a sentence for people.

type Details = Record<string, unknown>;

function errorJson(status: number, error: string, message: string, details: Details = {}): Response {
  return Response.json({ error, message, ...details }, { status });
}

/** 400: the request itself is wrong; `error` names how ("invalid", "bad-filters", "bad-request"). */
export const badRequest = (message: string, error = "invalid", details?: Details) => errorJson(400, error, message, details);

/** 400 with the messages per filter, for the export routes. */
export function badFilters(errors: Record<string, string[]>): Response {
  const message = Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
    .join(" ");
  return badRequest(message, "bad-filters", { fields: errors });
}

/** 401: nobody is signed in. */
export const unauthenticated = () => errorJson(401, "unauthenticated", "Sign in first.");

/** 403: signed in, but not allowed. */
export const forbidden = (message = "Managers only.") => errorJson(403, "forbidden", message);

/** 403 for a page rather than an API: the plain page that says so; its inline style carries the request's CSP nonce. */
export const forbiddenPage = (nonce?: string) =>
  new Response(nonce ? FORBIDDEN_HTML.replace("<style>", `<style nonce="${nonce}">`) : FORBIDDEN_HTML, {
    status: 403,
    headers: { "content-type": "text/html; charset=utf-8" },
  });

/** 404: the thing asked for is not there; `error` may be more precise than "not-found". */
export const notFound = (message: string, error = "not-found", details?: Details) => errorJson(404, error, message, details);
