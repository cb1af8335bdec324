// Next.js calls register() once when the server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertPortalEnv } = await import("./lib/config/env");
    assertPortalEnv();
    // The safety net for verdicts (lib/runs/reconcile.ts): open runs are checked against
    // Jenkins and builds started in Jenkins are picked up. Without Jenkins there is nothing to do.
    if (process.env.JENKINS_URL?.trim()) {
      const { startServerReconciler } = await import("./lib/runs/server-reconciler");
      startServerReconciler();
    }
  }
}
