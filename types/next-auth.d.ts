import "next-auth/jwt";

declare module "next-auth/jwt" {
  interface JWT {
    /** The user's sessionVersion when the token was issued (lib/auth/authenticate.ts). */
    sv?: number;
  }
}
