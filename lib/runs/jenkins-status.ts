import { isJenkinsError, JenkinsConfigError, type JenkinsAdapter, type JenkinsErrorKind } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";

export type JenkinsStatus = { ok: true } | { ok: false; kind: JenkinsErrorKind | "not-configured"; message: string };

/**
 * One cheap request (the root API with a one-job tree) so that the run form can say
 * "Jenkins is unreachable" or "its credentials are wrong" before anyone submits.
 * Pass a thunk to let a missing JENKINS_URL be reported rather than thrown.
 */
export async function jenkinsStatus(
  jenkins: Pick<JenkinsAdapter, "checkConnection" | "url"> | (() => Pick<JenkinsAdapter, "checkConnection" | "url">),
): Promise<JenkinsStatus> {
  let adapter: Pick<JenkinsAdapter, "checkConnection" | "url">;
  try {
    adapter = typeof jenkins === "function" ? jenkins() : jenkins;
  } catch (error) {
    if (error instanceof JenkinsConfigError)
      return { ok: false, kind: "not-configured", message: `Jenkins is not configured: ${error.message}` };
    throw error;
  }
  try {
    await adapter.checkConnection();
    return { ok: true };
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    return { ok: false, kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: adapter.url }) };
  }
}
