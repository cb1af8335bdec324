/**
 * The portal's security headers, in one place. proxy.ts sets all of them on every page and
 * route it answers (the Content-Security-Policy with a fresh nonce per request, which Next.js
 * puts on its own scripts); next.config.ts sets the fixed ones on everything else (static assets).
 */

/** Headers that never change with the request. */
export const FIXED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // Same-origin navigation keeps its Referer; run and schedule URLs never leave for other sites.
  "Referrer-Policy": "same-origin",
  // For browsers without CSP frame-ancestors.
  "X-Frame-Options": "DENY",
};

/** Two years, as hstspreload.org asks; sent only on answers that went out over HTTPS. */
export const HSTS = "max-age=63072000; includeSubDomains";

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Scripts run only with this response's nonce ('strict-dynamic' lets them load the chunks they
 * import); no inline script without it. Style elements need the nonce too; style attributes stay
 * allowed because React and the charts set element styles through them (not a script vector).
 */
export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev?: boolean }): string {
  return [
    "default-src 'self'",
    // Next's development server evaluates modules (react-refresh); production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the browser reached us over HTTPS: directly, or through a proxy that says so. */
export function servedOverHttps(url: URL, headers: Headers): boolean {
  return url.protocol === "https:" || headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export function applySecurityHeaders(headers: Headers, csp: string, https: boolean): void {
  for (const [name, value] of Object.entries(FIXED_SECURITY_HEADERS)) headers.set(name, value);
  headers.set("Content-Security-Policy", csp);
  if (https) headers.set("Strict-Transport-Security", HSTS);
}
