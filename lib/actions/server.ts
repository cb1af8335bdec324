import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { runAction, type ActionSpec, type ActionState } from "./action";

interface AfterSuccess {
  /** Path whose pages show what the action changed. */
  revalidate?: string;
  /** Where to go next, e.g. back to the list after deleting the item on show, or to what was just made. */
  redirectTo?: string | ((state: ActionState) => string);
}

/**
 * Binds an action spec to Next.js: reads the session and the form, runs it through runAction.
 * Used only from "use server" files, as `export const x = serverAction(specs.y, { … })`.
 */
export function serverAction<S extends z.ZodType>(spec: ActionSpec<S>, after: AfterSuccess = {}) {
  return async function action(_prev: ActionState, form: FormData): Promise<ActionState> {
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
    const state = await runAction(spec, await getCurrentUser(), raw, await requestAddress());
    if (state.status !== "ok") return state;
    if (after.revalidate) revalidatePath(after.revalidate, "layout");
    // Outside runAction's try/catch: Next.js implements redirect() by throwing.
    if (after.redirectTo) redirect(typeof after.redirectTo === "function" ? after.redirectTo(state) : after.redirectTo);
    return state;
  };
}
