import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { resolveSessionUser } from "@/lib/auth/authenticate";
import { decide, ruleFor } from "@/lib/auth/policy";
import { forbidden, forbiddenPage, unauthenticated } from "@/lib/http/responses";

/** The one place where page and route access is decided, from lib/auth/policy.ts. */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const rule = ruleFor(pathname);
  if (rule.access === "public" || rule.access === "signed") return NextResponse.next();

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
      return unauthenticated();
    case "forbidden":
      return rule.kind === "api" ? forbidden() : forbiddenPage();
  }
}

export const config = {
  // Everything but Next's own assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
