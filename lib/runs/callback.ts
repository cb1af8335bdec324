import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { attachBuildToRun, isAttachable } from "./attach";
import { applyClosing, closingFromReport, parseReport } from "./close";
import { verifyCallbackSignature } from "./signature";

// POST /api/runs/callback, as a function of its inputs (the route handler only reads the
// request). Checks, in order: configured, signed (401), well-formed (400), known run (404),
// first report for this run (409), then closes the run unless the reconciler already did.

export const MAX_CALLBACK_BYTES = 4 * 1024 * 1024;

export interface CallbackResult {
  status: 200 | 202 | 400 | 401 | 404 | 409 | 413 | 503;
  body: { ok: boolean; error?: string; message: string; runId?: string; closed?: boolean };
}

const refuse = (status: CallbackResult["status"], error: string, message: string): CallbackResult => ({
  status,
  body: { ok: false, error, message },
});

export async function acceptCallback(
  deps: { db: Db; secret: string | null; now?: () => Date },
  request: { timestamp: string | null; signature: string | null; body: Buffer },
): Promise<CallbackResult> {
  if (!deps.secret) return refuse(503, "not-configured", "RESTORE_DRILL_CALLBACK_SECRET is not set on the portal; callbacks are refused.");
  const now = deps.now?.() ?? new Date();
  const check = verifyCallbackSignature({ secret: deps.secret, ...request, now });
  if (!check.ok) {
    const why = {
      missing: "missing signature or timestamp",
      malformed: "malformed signature or timestamp",
      stale: "timestamp older than 5 minutes",
      future: "timestamp in the future",
      mismatch: "signature does not match",
    }[check.reason];
    // Not audited: the route is reachable by anyone, and forged requests must not fill the trail.
    return refuse(401, "bad-signature", `Callback refused: ${why}.`);
  }

  let json: unknown;
  try {
    json = JSON.parse(request.body.toString("utf8"));
  } catch {
    return refuse(400, "bad-body", "The body is not JSON.");
  }
  const parsed = parseReport(json);
  if (!parsed.ok) return refuse(400, "bad-body", `The body is not a restore report (schema version 1): ${parsed.problem}`);
  const report = parsed.report;
  // A build Jenkins started itself (a schedule's timer, or someone in Jenkins) names no portal
  // run: it is the run the reconciler recorded for that build, or, if the reconciler has not
  // seen the build yet, one it will record (and read the archived report for) on its next round.
  const { job, build } = report.jenkins;
  let run =
    report.runId !== null
      ? await deps.db.restoreRun.findUnique({ where: { id: report.runId } })
      : job && build
        ? await deps.db.restoreRun.findUnique({ where: { jobName_buildNumber: { jobName: job, buildNumber: build } } })
        : null;
  if (!run && report.runId === null) {
    if (!job || !build) return refuse(400, "bad-body", "The report names neither a portal run nor a Jenkins build.");
    return {
      status: 202,
      body: { ok: true, message: `Build ${job} #${build} is not known yet; the reconciler will record it with this report.` },
    };
  }
  if (!run) return refuse(404, "unknown-run", `No run ${report.runId}.`);
  if (report.jenkins.job && report.jenkins.job !== run.jobName)
    return refuse(409, "other-build", `The report is for job ${report.jenkins.job}, the run's is ${run.jobName}.`);
  if (report.jenkins.build && run.buildNumber !== null && report.jenkins.build !== run.buildNumber)
    return refuse(409, "other-build", `The report is for build #${report.jenkins.build}, the run's is #${run.buildNumber}.`);

  // The run's build, when the portal died before it learnt it (TRIGGER_LOST): the report names it.
  if (report.jenkins.job && report.jenkins.build && isAttachable(run)) {
    run =
      (await attachBuildToRun(deps.db, run, report.jenkins.job, {
        number: report.jenkins.build,
        queueId: null,
        startedAt: null,
        url: report.jenkins.url,
      })) ?? run;
  }

  // One report per run: a second delivery (a replay, even a correctly signed one) is refused.
  const first = await deps.db.restoreRun.updateMany({ where: { id: run.id, callbackAt: null }, data: { callbackAt: now } });
  if (first.count === 0) {
    await recordAudit(deps.db, { actor: null, action: "run.callback", target: run.id, outcome: "denied", details: { reason: "replay" } });
    return refuse(409, "replay", "A report for this run was already received.");
  }
  const closed = await applyClosing(deps.db, run, closingFromReport(run, report, request.body.toString("utf8")));
  await recordAudit(deps.db, {
    actor: null,
    action: "run.callback",
    target: run.id,
    outcome: "success",
    details: { verdict: report.verdict, reasonCode: report.reasonCode, closed },
  });
  return {
    status: 200,
    body: { ok: true, message: closed ? "Run closed with the report." : "Run was already closed; report noted.", runId: run.id, closed },
  };
}
