"use client";

import { useActionState } from "react";
import type { z } from "zod";
import { formValues, idleState, invalidState, type ActionState } from "@/lib/actions/state";

type ServerAction = (prev: ActionState, form: FormData) => Promise<ActionState>;

/**
 * useActionState with the action's own zod schema checked in the browser first: the same
 * messages appear without a round trip, and the server checks again regardless.
 */
export function useSchemaAction(schema: z.ZodType, action: ServerAction, secretFields: readonly string[] = []) {
  return useActionState(async (prev: ActionState, form: FormData) => {
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return invalidState(parsed.error, formValues(raw, secretFields));
    return action(prev, form);
  }, idleState);
}
