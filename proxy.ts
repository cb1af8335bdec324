import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { sharedRead } from "@/lib/db/shared-read";
import { resolveSessionUser } from "@/lib/auth/authenticate";
import { decide, ruleFor } from "@/lib/auth/policy";
import { REQUEST_USER_HEADER, sealRequestUser } from "@/lib/auth/request-user";
import { applySecurityHeaders, contentSecurityPolicy, newNonce, servedOverHttps } from "@/lib/http/security-headers";

/** Every answer gets the security headers (lib/http/security-headers.ts), with a nonce of its own. */
export async function proxy(req: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps(req.nextUrl, req.headers);
  const csp = contentSecurityPolicy(nonce, { https, dev: process.env.NODE_ENV === "development" });
  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const forwarded = new Headers(req.headers);
  forwarded.set("content-security-policy", csp);
  // Only the proxy says who the request's user is (lib/auth/request-user.ts): never the client.
  forwarded.delete(REQUEST_USER_HEADER);
  const res = await access(req, forwarded, nonce);
  applySecurityHeaders(res.headers, csp, https);
  return res;
}
import { forbidden, forbiddenPage, unauthenticated } from "@/lib/http/responses";

/** The one place where page and route access is decided, from lib/auth/policy.ts. */
async function access(req: NextRequest, forwarded: Headers, nonce: string): Promise<Response> {
  const pass = () => NextResponse.next({ request: { headers: forwarded } });
  const { pathname, search } = req.nextUrl;
  const rule = ruleFor(pathname);
  if (rule.access === "public" || rule.access === "signed" || rule.access === "token") return pass();

  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  // Shared while the database is unchanged (lib/db/shared-read.ts): signing out, a disabled user or
  // a role change is a write, seen by the next request; only an expiry may be seen up to 5 s late.
  const user = await sharedRead(db, `session:${token?.sub}:${token?.sv}:${token?.sid}`, () =>
    resolveSessionUser(db, token?.sub, token?.sv, token?.sid),
  );

  switch (decide(rule, user, pathname)) {
    case "allow":
      // The render of this request reads the user from here instead of resolving it again.
      if (user && process.env.NEXTAUTH_SECRET) forwarded.set(REQUEST_USER_HEADER, sealRequestUser(user, process.env.NEXTAUTH_SECRET));
      return pass();
    case "sign-in": {
      const url = new URL("/signin", req.url);
      url.searchParams.set("callbackUrl", pathname + search);
      return NextResponse.redirect(url);
    }
    case "change-password":
      return NextResponse.redirect(new URL("/account/password", req.url));
    case "password-change-required":
      return NextResponse.json(
        { error: "password-change-required", message: "Choose your own password first (/account/password)." },
        { status: 403 },
      );
    case "unauthorized":
      return unauthenticated();
    case "forbidden":
      return rule.kind === "api" ? forbidden() : forbiddenPage(nonce);
  }
}

export const config = {
  // Everything but Next's own assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
