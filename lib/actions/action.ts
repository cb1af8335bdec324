import { z } from "zod";
import type { SessionUser } from "@/lib/auth/authenticate";
import { recordAudit, type AuditOutcome } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { formValues, invalidState, type ActionState } from "./state";

export { fieldErrorsOf, formValues, idleState, invalidState, type ActionState } from "./state";

/**
 * Server actions are declared with defineAction: their access level and input schema are
 * stated once, and runAction enforces both before the handler sees anything. The Next.js
 * bindings in lib/actions/server.ts add the session; the registry in lib/actions/registry.ts
 * lists every action so that tests walk them all.
 */
export type ActionAccess = "user" | "manager";

export interface ActionContext {
  user: SessionUser;
  address: string | null;
}

export interface ActionSpec<S extends z.ZodType> {
  name: string;
  access: ActionAccess;
  /**
   * The audit trail's name for this action. Domain code records successes inside the change's
   * own transaction; runAction records refused (denied) and failed attempts under this name.
   */
  audit: string;
  schema: S;
  /**
   * Allowed to a user who signed in with a one-time password and has not chosen their own yet
   * (changing it, signing out). Every other action waits, like every page and route (lib/auth/policy.ts).
   */
  beforePasswordChange?: boolean;
  /** Fields never echoed back into the form (passwords, keys). */
  secretFields?: readonly string[];
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<Omit<ActionState, "status"> | void>;
}

export function defineAction<S extends z.ZodType>(spec: ActionSpec<S>): ActionSpec<S> {
  return spec;
}

export async function runAction<S extends z.ZodType>(
  spec: ActionSpec<S>,
  user: SessionUser | null,
  raw: Record<string, unknown>,
  address: string | null = null,
): Promise<ActionState> {
  const values = formValues(raw, spec.secretFields ?? []);
  if (!user) return { status: "error", code: "unauthenticated", message: "Your session has ended. Sign in again." };
  const audit = (outcome: AuditOutcome, input: unknown, details: Record<string, unknown>) =>
    recordAttempt({ actor: user, action: spec.audit, target: targetOf(input), outcome, details, address });
  if (spec.access === "manager" && user.role !== "manager") {
    await audit("denied", raw, { reason: "managers only" });
    return { status: "error", code: "forbidden", message: "Only managers can do this." };
  }
  if (user.mustChangePassword && !spec.beforePasswordChange) {
    await audit("denied", raw, { reason: "one-time password not changed yet" });
    return {
      status: "error",
      code: "password-change-required",
      message: "Choose your own password first (Change password), then try again.",
    };
  }

  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) return invalidState(parsed.error, values);
  try {
    const out = await spec.handler(parsed.data, { user, address });
    return { status: "ok", ...(out ?? {}) };
  } catch (e) {
    if (!(e instanceof DomainError && e.audited))
      await audit("failure", parsed.data, { reason: e instanceof DomainError ? e.message : "unexpected error (see the server log)" });
    if (e instanceof DomainError) {
      return {
        status: "error",
        code: "invalid",
        message: e.message,
        fieldErrors: e.field ? { [e.field]: [e.message] } : undefined,
        values,
      };
    }
    console.error(`action ${spec.name} failed`, e);
    return { status: "error", code: "error", message: "Something went wrong on our side; nothing was changed. Try again.", values };
  }
}

/** The id an action was about, from the usual input names; never a free-text or secret field. */
function targetOf(input: unknown): string | null {
  if (!input || typeof input !== "object") return null;
  const fields = input as Record<string, unknown>;
  for (const key of ["scheduleId", "runId", "userId", "credentialId", "id", "email"]) {
    const value = fields[key];
    if (typeof value === "string" && value.length > 0 && value.length <= 200) return value;
  }
  return null;
}

async function recordAttempt(entry: Parameters<typeof recordAudit>[1]): Promise<void> {
  try {
    await recordAudit(db, entry);
  } catch (error) {
    // The answer to the person matters more than the trail; the log keeps what was lost.
    console.error(`audit of ${entry.action} (${entry.outcome}) failed`, error);
  }
}
