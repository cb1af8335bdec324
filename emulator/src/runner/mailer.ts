import fs from "node:fs";
import path from "node:path";
import type { BuildRecord } from "../model/build-record";
import type { Job } from "../model/items";
import type { ResultName } from "../model/job-config";
import { expandVariables } from "./expand";

// hudson.tasks.Mailer / MailSender: which builds send mail and with which
// subject. Instead of SMTP, each message is written to the outbox directory.

export const DEFAULT_FROM = "address not configured yet <nobody@nowhere>";
const MAX_LOG_LINES = 250;

/** MailSender.findPreviousBuildResult: skips aborted / not-built builds; a running one counts as "none". */
function previousResult(job: Job, number: number): ResultName | null {
  for (const build of job.sortedBuilds()) {
    if (build.number >= number) continue;
    if (build.building) return null;
    if (build.result === "ABORTED" || build.result === "NOT_BUILT") continue;
    return build.result;
  }
  return null;
}

/**
 * Mailer.perform expands the build's variables in the configured recipients
 * (`env.expand(recipients)`, unknown references kept), then MimeMessageBuilder
 * splits on whitespace and commas; a LinkedHashSet drops repeats.
 */
export function recipientsOf(configured: string, buildVariables: Readonly<Record<string, string>>): string[] {
  return [
    ...new Set(
      expandVariables(configured, buildVariables)
        .split(/[ \t\n\r\f,]+/)
        .filter(Boolean),
    ),
  ];
}

export interface MailMessage {
  subject: string;
  body: string;
}

export function composeMail(
  job: Job,
  record: BuildRecord,
  result: ResultName,
  dontNotifyEveryUnstableBuild: boolean,
  buildUrl: string,
  logTail: () => string[],
): MailMessage | undefined {
  const name = `${job.fullDisplayName} #${record.number}`;
  const link = `See <${buildUrl}>\n\n`;
  if (result === "FAILURE") {
    const log = logTail()
      .slice(-MAX_LOG_LINES)
      .map((l) => `${l.replace(/\0/g, " ")}\n`)
      .join("");
    return { subject: `Build failed in Jenkins: ${name}`, body: `${link}Changes:\n\n\n------------------------------------------\n${log}` };
  }
  const prev = previousResult(job, record.number);
  if (result === "UNSTABLE" && (!dontNotifyEveryUnstableBuild || prev === "SUCCESS" || prev === null)) {
    const caption =
      prev === "SUCCESS"
        ? "Jenkins build became unstable: "
        : prev === "UNSTABLE"
          ? "Jenkins build is still unstable:"
          : "Jenkins build is unstable:";
    return { subject: `${caption} ${name}`, body: link };
  }
  if (result === "SUCCESS" && (prev === "FAILURE" || prev === "UNSTABLE")) {
    return { subject: `Jenkins build is back to ${prev === "FAILURE" ? "normal" : "stable"} : ${name}`, body: link };
  }
  return undefined;
}

/** Writes `<outbox>/<timestamp>-<job>-<build>.eml`; returns the file path. */
export function writeToOutbox(
  outboxDir: string,
  job: Job,
  record: BuildRecord,
  result: ResultName,
  recipients: string[],
  message: MailMessage,
): string {
  fs.mkdirSync(outboxDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  const safeJob = job.fullName.replace(/[^A-Za-z0-9._-]/g, "_");
  let file = path.join(outboxDir, `${stamp}-${safeJob}-${record.number}.eml`);
  for (let i = 2; fs.existsSync(file); i++) file = path.join(outboxDir, `${stamp}-${safeJob}-${record.number}-${i}.eml`);
  const headers = [
    `Date: ${new Date().toUTCString()}`,
    `From: ${DEFAULT_FROM}`,
    `To: ${recipients.join(", ")}`,
    `Subject: ${message.subject}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    `X-Jenkins-Job: ${job.fullName}`,
    `X-Jenkins-Result: ${result}`,
  ];
  fs.writeFileSync(file, `${headers.join("\n")}\n\n${message.body}`);
  return file;
}
