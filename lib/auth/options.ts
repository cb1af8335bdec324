import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { authenticate } from "./authenticate";
import { clientAddress } from "./client-address";
import { endSession, openSession, SESSION_MAX_AGE_S } from "./sessions";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const result = await authenticate(db, credentials, clientAddress(req.headers ?? {}));
        if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, sv: result.user.sessionVersion };
        // next-auth forwards a thrown message as ?error=…; the sign-in form turns it into text.
        if (result.reason === "throttled") throw new Error(`throttled:${Math.ceil(result.retryAfterMs / 1000)}`);
        return null;
      },
    }),
  ],
  events: {
    async signOut({ token }) {
      // The cookie is only cleared in the browser; ending the row makes any copy of it useless.
      await endSession(db, token?.sid);
      await recordSignOut(token?.sub);
    },
  },
  callbacks: {
    // The token carries only the user id, the session version and the session id; role and status
    // are read from the database on every request (lib/auth/current-user.ts) so that changes apply at once.
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = (user as { sv?: number }).sv;
        token.sid = await openSession(db, user.id);
      }
      return { sub: token.sub, sv: token.sv, sid: token.sid, iat: token.iat, exp: token.exp, jti: token.jti };
    },
    async session({ session, token }) {
      return { ...session, user: { id: token.sub } } as typeof session;
    },
  },
};

/** Sign-outs go into the audit trail like sign-ins (next-auth's signOut event; the JWT names the user). */
export async function recordSignOut(userId: string | undefined): Promise<void> {
  try {
    const user = userId ? await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } }) : null;
    await recordAudit(db, {
      actor: user ?? { id: userId ?? null },
      action: "auth.sign-out",
      target: user?.email ?? null,
      outcome: "success",
    });
  } catch (error) {
    console.error("audit of a sign-out failed", error);
  }
}
