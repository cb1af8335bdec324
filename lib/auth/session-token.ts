import { getToken, type JWT } from "next-auth/jwt";

type TokenRequest = Parameters<typeof getToken>[0]["req"];

/**
 * The session cookie's decoded token, or null. getToken wants a request, but it reads only the
 * headers and the parsed cookies; the callers outside proxy.ts (the render, the page cache) have
 * those and no NextRequest, so they hand it just them.
 */
export function readSessionToken(
  headers: Record<string, string | string[] | undefined>,
  cookies: Record<string, string>,
  secret: string | undefined,
): Promise<JWT | null> {
  return getToken({ req: { headers, cookies } as unknown as TokenRequest, secret });
}
