import type { z } from "zod";

// What a server action answers, and the helpers the browser-side forms share with runAction.
// Kept apart from lib/actions/action.ts, which is server-only (it writes the audit trail).

export interface ActionState {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** What was submitted, minus secrets, so that a refused form keeps its values. */
  values?: Record<string, string>;
  /** Data for the page after success (e.g. a one-time password shown once). */
  result?: Record<string, string>;
  code?: "unauthenticated" | "forbidden" | "password-change-required" | "invalid" | "error";
}

export const idleState: ActionState = { status: "idle" };

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return fieldErrors;
}

export function invalidState(error: z.ZodError, values: Record<string, string>): ActionState {
  return { status: "error", code: "invalid", message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(error), values };
}

export function formValues(raw: Record<string, unknown>, secret: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([k, v]) => !secret.includes(k) && !k.startsWith("$ACTION") && typeof v === "string")
      .map(([k, v]) => [k, String(v)]),
  );
}
