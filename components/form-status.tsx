import type { ActionState } from "@/lib/actions/state";

export function FormStatus({ state }: { state: ActionState }) {
  if (state.status === "idle" || !state.message) return null;
  return (
    <p className={`notice ${state.status === "ok" ? "ok" : "error"}`} role={state.status === "ok" ? "status" : "alert"}>
      {state.message}
    </p>
  );
}
