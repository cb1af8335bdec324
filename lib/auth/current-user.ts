import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { resolveSessionUser, type SessionUser } from "./authenticate";
import { clientAddress } from "./client-address";
import { openRequestUser, REQUEST_USER_HEADER } from "./request-user";
import { readSessionToken } from "./session-token";

/**
 * The signed-in user as the database has them now, or null (removed, disabled, or never signed in).
 * Once per server render (React cache): the layout, the page and its parts all ask, and each ask
 * was a cookie decryption and two queries. Route handlers are outside React's cache: one call each.
 * When proxy.ts has resolved the user for this very request it says so (lib/auth/request-user.ts)
 * and that answer is used; otherwise (public paths) the session is resolved here.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const [requestHeaders, cookieStore] = await Promise.all([headers(), cookies()]);
  const resolved = openRequestUser(requestHeaders.get(REQUEST_USER_HEADER), process.env.NEXTAUTH_SECRET);
  if (resolved) return resolved;
  const token = await readSessionToken(
    Object.fromEntries(requestHeaders.entries()),
    Object.fromEntries(cookieStore.getAll().map((c) => [c.name, c.value])),
    process.env.NEXTAUTH_SECRET,
  );
  return resolveSessionUser(db, token?.sub, token?.sv, token?.sid);
});

/** For pages: proxy.ts already sent anonymous visitors to sign-in; this narrows the type. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  return user;
}

export async function requestAddress(): Promise<string | null> {
  return clientAddress(await headers());
}
