"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Field } from "@/components/field";
import { signInSchema } from "@/lib/validation/user";
import { rememberBrowserTimeZone } from "@/components/time-zone-cookie";

function messageFor(error: string): string {
  const throttled = /^throttled:(\d+)$/.exec(error);
  if (throttled) {
    const seconds = Number(throttled[1]);
    const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
    return `Too many failed attempts. Try again in ${wait}.`;
  }
  return "The email or password is not right.";
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setError(null);
    const parsed = signInSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), [i.message]])));
      return;
    }
    setFieldErrors({});
    setPending(true);
    rememberBrowserTimeZone();
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    setPending(false);
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setError(messageFor(result?.error ?? ""));
  }

  return (
    <form className="stack" action={submit} noValidate>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <Field label="Email" name="email" errors={fieldErrors.email}>
        <input type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password" name="password" errors={fieldErrors.password}>
        <input type="password" autoComplete="current-password" required />
      </Field>
      <button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
