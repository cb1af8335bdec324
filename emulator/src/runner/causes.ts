import { hyperlink } from "../console/notes";
import type { Cause } from "../model/build-record";

export function userCause(userId: string): Cause {
  return { _class: "hudson.model.Cause$UserIdCause", shortDescription: `Started by user ${userId}`, userId, userName: userId };
}

export function remoteCause(addr: string, note: string | null): Cause {
  const base = `Started by remote host ${addr}`;
  return { _class: "hudson.model.Cause$RemoteCause", shortDescription: note ? `${base} with note: ${note}` : base, addr, note };
}

export function timerCause(): Cause {
  return { _class: "hudson.triggers.TimerTrigger$TimerTriggerCause", shortDescription: "Started by timer" };
}

export function upstreamCause(project: string, build: number, url: string, upstreamCauses: Cause[]): Cause {
  return {
    _class: "hudson.model.Cause$UpstreamCause",
    shortDescription: `Started by upstream project "${project}" build number ${build}`,
    upstreamBuild: build,
    upstreamProject: project,
    upstreamUrl: url,
    // kept for the console's "originally caused by:" lines; not exported over the API
    upstreamCausesJson: JSON.stringify(upstreamCauses),
  };
}

/** What Cause.print writes: the short description, with hyperlink notes where Jenkins puts them. */
function printed(cause: Cause): string {
  if (cause._class === "hudson.model.Cause$UserIdCause" && typeof cause.userId === "string") {
    return `Started by user ${hyperlink(`/user/${cause.userId}`, String(cause.userName ?? cause.userId))}`;
  }
  if (cause._class === "hudson.model.Cause$UpstreamCause" && typeof cause.upstreamUrl === "string") {
    const url = `/${cause.upstreamUrl}`;
    return `Started by upstream project "${hyperlink(url, String(cause.upstreamProject))}" build number ${hyperlink(`${url}${String(cause.upstreamBuild)}`, String(cause.upstreamBuild))}`;
  }
  return cause.shortDescription;
}

/** Cause.print / UpstreamCause.print, with nested upstream causes indented. */
export function causeLines(cause: Cause, depth = 0): string[] {
  const indent = " ".repeat(depth);
  const lines = [`${indent}${printed(cause)}`];
  if (typeof cause.upstreamCausesJson === "string") {
    const nested = JSON.parse(cause.upstreamCausesJson) as Cause[];
    if (nested.length > 0) {
      lines.push(`${indent}originally caused by:`);
      for (const c of nested) lines.push(...causeLines(c, depth + 1));
    }
  }
  return lines;
}
