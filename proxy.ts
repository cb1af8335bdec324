import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { resolveSessionUser } from "@/lib/auth/authenticate";
import { FORBIDDEN_HTML } from "@/lib/auth/forbidden-page";
import { decide, ruleFor } from "@/lib/auth/policy";

/** The one place where page and route access is decided, from lib/auth/policy.ts. */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const rule = ruleFor(pathname);
  if (rule.access === "public" || rule.access === "signed" || rule.access === "token") return NextResponse.next();

  const token = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  const user = await resolveSessionUser(db, token?.sub, token?.sv);

  switch (decide(rule, user, pathname)) {
    case "allow":
      return NextResponse.next();
    case "sign-in": {
      const url = new URL("/signin", req.url);
      url.searchParams.set("callbackUrl", pathname + search);
      return NextResponse.redirect(url);
    }
    case "change-password":
      return NextResponse.redirect(new URL("/account/password", req.url));
    case "unauthorized":
      return NextResponse.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
    case "forbidden":
      return rule.kind === "api"
        ? NextResponse.json({ error: "forbidden", message: "Managers only." }, { status: 403 })
        : new NextResponse(FORBIDDEN_HTML, { status: 403, headers: { "content-type": "text/html; charset=utf-8" } });
  }
}

export const config = {
  // Everything but Next's own assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
