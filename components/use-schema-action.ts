"use client";

import { useActionState, useEffect } from "react";
import type { z } from "zod";
import { formValues, idleState, invalidState, type ActionState } from "@/lib/actions/state";

type ServerAction = (prev: ActionState, form: FormData) => Promise<ActionState>;
/** A schema, or a loader of one: `() => import("…").then((m) => m.schema)` keeps zod out of the page's first load. */
export type SchemaSource = z.ZodType | (() => Promise<z.ZodType>);

/**
 * useActionState with the action's own zod schema checked in the browser first: the same
 * messages appear without a round trip, and the server checks again regardless. A lazily loaded
 * schema is fetched once the form is on screen; if it cannot be loaded, the server's check stands.
 */
export function useSchemaAction(source: SchemaSource, action: ServerAction, secretFields: readonly string[] = []) {
  useEffect(() => {
    if (typeof source === "function") source().catch(() => undefined);
  }, [source]);
  return useActionState(async (prev: ActionState, form: FormData) => {
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
    const schema = typeof source === "function" ? await source().catch(() => null) : source;
    const parsed = schema?.safeParse(raw);
    if (parsed && !parsed.success) return invalidState(parsed.error, formValues(raw, secretFields));
    return action(prev, form);
  }, idleState);
}
