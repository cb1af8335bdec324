import { isJenkinsError, JenkinsConfigError } from "@/lib/jenkins";

/**
 * One plain sentence for a manager about why Jenkins could not be asked, from the
 * adapter's typed errors. Never the error's own text: it is for logs, and names
 * URLs and operations a manager has no use for.
 */
export function jenkinsProblem(error: unknown): string | null {
  if (error instanceof JenkinsConfigError)
    return "Jenkins is not configured for the portal (JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN).";
  if (!isJenkinsError(error)) return null;
  switch (error.kind) {
    case "unreachable":
      return "Jenkins cannot be reached right now.";
    case "timeout":
      return "Jenkins did not answer in time.";
    case "unauthorized":
      return "Jenkins refused the portal's user or API token (check JENKINS_USER and JENKINS_API_TOKEN).";
    case "forbidden":
      return "The portal's Jenkins user lacks the credentials permissions (Credentials/View, Create and Delete).";
    case "not-found":
      return "Jenkins has no credentials store where the portal expects it (is the Credentials plugin installed?).";
    case "conflict":
    case "rejected":
      return "Jenkins refused the request.";
    case "bad-response":
      return "Jenkins answered in a way the portal did not expect.";
  }
}
