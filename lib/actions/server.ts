import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getCurrentUser, requestAddress } from "@/lib/auth/current-user";
import { runAction, type ActionSpec, type ActionState } from "./action";

/**
 * Binds an action spec to Next.js: reads the session and the form, runs it through runAction.
 * Used only from "use server" files, as `export const x = serverAction(spec, "/path")`.
 */
export function serverAction<S extends z.ZodType>(spec: ActionSpec<S>, revalidate?: string) {
  return async function action(_prev: ActionState, form: FormData): Promise<ActionState> {
    const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
    const state = await runAction(spec, await getCurrentUser(), raw, await requestAddress());
    if (state.status === "ok" && revalidate) revalidatePath(revalidate, "layout");
    return state;
  };
}
