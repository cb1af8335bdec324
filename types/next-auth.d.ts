import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** The user's sessionVersion when the token was issued (lib/auth/authenticate.ts). */
    sv?: number;
    /** The server-side session (lib/auth/sessions.ts); the token is void once its row is gone. */
    sid?: string;
  }
}
