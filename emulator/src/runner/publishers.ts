import fs from "node:fs";
import path from "node:path";
import { isWorseOrEqual } from "../model/build-record";
import type { BuildStep, Publisher } from "../model/job-config";
import { matchFiles } from "./ant-glob";
import type { BuildContext } from "./context";
import { composeMail, recipientsOf, writeToOutbox } from "./mailer";
import { performBuildTrigger } from "./triggers";

type StepRunner = (ctx: BuildContext, step: BuildStep) => Promise<boolean>;

function archive(ctx: BuildContext, p: Extract<Publisher, { type: "archive" }>): boolean {
  if (p.onlyIfSuccessful && isWorseOrEqual(ctx.result, "UNSTABLE")) {
    ctx.log.println("Skipped archiving because build is not successful");
    return true;
  }
  ctx.log.println("Archiving artifacts");
  const files = matchFiles(ctx.workspace, p.artifacts, p.excludes);
  if (files.length === 0) {
    if (p.allowEmpty) {
      ctx.log.println('No artifacts found that match the file pattern "' + p.artifacts + '". Configuration error?');
      return true;
    }
    ctx.log.println(`ERROR: No artifacts found that match the file pattern "${p.artifacts}". Configuration error?`);
    ctx.result = "FAILURE";
    return true;
  }
  const target = path.join(ctx.job.buildDir(ctx.record.number), "archive");
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
    fs.copyFileSync(path.join(ctx.workspace, rel), path.join(target, rel));
  }
  ctx.record.artifacts = [...new Set([...ctx.record.artifacts, ...files])].sort();
  return true;
}

async function postBuildScript(ctx: BuildContext, p: Extract<Publisher, { type: "postBuildScript" }>, runStep: StepRunner): Promise<void> {
  ctx.log.println("[PostBuildScript] - [INFO] Executing post build scripts.");
  for (const step of p.steps) {
    if (!step.results.includes(ctx.result)) continue;
    for (const builder of step.builders) {
      if (await runStep(ctx, builder)) continue;
      ctx.log.println(`[PostBuildScript] - [ERROR] The execution of post build steps failed.`);
      ctx.result = p.markBuildUnstable ? (isWorseOrEqual(ctx.result, "UNSTABLE") ? ctx.result : "UNSTABLE") : "FAILURE";
      return;
    }
  }
}

function mail(ctx: BuildContext, p: Extract<Publisher, { type: "mailer" }>): void {
  const buildUrl = `${ctx.host.rootUrl()}${ctx.job.urlPath}${ctx.record.number}/`;
  const message = composeMail(ctx.job, ctx.record, ctx.result, p.dontNotifyEveryUnstableBuild, buildUrl, () => ctx.log.tail(250));
  if (!message) return;
  const recipients = recipientsOf(p.recipients, ctx.buildVariables);
  if (recipients.length === 0) {
    ctx.log.println("An attempt to send an e-mail to empty list of recipients, ignored.");
    return;
  }
  ctx.log.println(`Sending e-mails to: ${recipients.join(" ")}`);
  writeToOutbox(ctx.host.outboxDir, ctx.job, ctx.record, ctx.result, recipients, message);
}

/**
 * Publishers in config order; those Jenkins runs after the result is final
 * (Mailer, BuildTrigger: needsToRunAfterFinalized) come last.
 */
export async function runPublishers(ctx: BuildContext, publishers: Publisher[], runStep: StepRunner): Promise<void> {
  const finalized = (p: Publisher) => p.type === "mailer" || p.type === "buildTrigger";
  const ordered = [...publishers.filter((p) => !finalized(p)), ...publishers.filter(finalized)];
  for (const p of ordered) {
    try {
      switch (p.type) {
        case "archive":
          archive(ctx, p);
          break;
        case "postBuildScript":
          await postBuildScript(ctx, p, runStep);
          break;
        case "mailer":
          mail(ctx, p);
          break;
        case "buildTrigger":
          performBuildTrigger(ctx, p.configs);
          break;
        case "unsupported":
          ctx.log.println(`[emulator] publisher ${p.tag} is not emulated; skipped`);
          break;
      }
    } catch (err) {
      ctx.log.println(`ERROR: Publisher ${p.type} aborted due to exception: ${(err as Error).message}`);
      ctx.result = "FAILURE";
    }
  }
}
