// Next.js calls register() once when the server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertPortalEnv } = await import("./lib/config/env");
    assertPortalEnv();
    // Whole pages kept while the database is unchanged (lib/http/page-cache); not in development,
    // where the code behind a page changes without the database changing.
    if (process.env.NODE_ENV === "production") {
      const { installPageCache } = await import("./lib/http/page-cache/install");
      installPageCache();
    }
    // The safety net for verdicts (lib/runs/reconcile.ts): open runs are checked against
    // Jenkins and builds started in Jenkins are picked up. Without Jenkins there is nothing to do.
    if (process.env.JENKINS_URL?.trim()) {
      const { startServerReconciler } = await import("./lib/runs/server-reconciler");
      startServerReconciler();
    }
  }
}
