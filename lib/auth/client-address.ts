type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * The client's address for sign-in throttling: the last X-Forwarded-For hop, which is the one
 * the nearest proxy appended (or, with no proxy, the socket address Next.js fills in when the
 * header is absent). A client talking to Next.js directly can still send its own header and so
 * choose its address bucket; the per-account throttle holds regardless.
 */
export function clientAddress(headers: HeaderSource): string | null {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.at(-1) : raw;
  const last = value?.split(",").at(-1)?.trim();
  return last ? last.slice(0, 64) : null;
}
