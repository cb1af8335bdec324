import type { Metadata } from "next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only same-site paths: never bounce a fresh session to another host.
  const next = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="auth-page">
      <div className="panel auth-card">
        <h1>Restore Drill</h1>
        <p className="muted">Sign in to run and schedule restore tests.</p>
        <SignInForm callbackUrl={next} />
      </div>
    </main>
  );
}
