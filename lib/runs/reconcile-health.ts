// When the reconciler last finished a round with Jenkins answering: /metrics exposes it so that
// an alert can fire when verdicts stop being collected. Kept on globalThis because Next.js may
// load this module once for instrumentation.ts and again for a route handler.

const health = globalThis as unknown as { restoreDrillReconcileOkAt?: number };

export function markReconcileSuccess(at = Date.now()): void {
  health.restoreDrillReconcileOkAt = at;
}

export function lastReconcileSuccess(): Date | null {
  return health.restoreDrillReconcileOkAt === undefined ? null : new Date(health.restoreDrillReconcileOkAt);
}
