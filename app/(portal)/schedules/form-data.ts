import { listFormChoices, type CredentialChoices } from "@/lib/credentials/catalog";
import { db } from "@/lib/db/client";
import { getJenkins, isJenkinsError } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { jenkinsStatus } from "@/lib/runs/jenkins-status";

/** The keys the schedule form offers, or why Jenkins cannot say (a notice, never a 500). */
export async function scheduleFormData(): Promise<{ choices: CredentialChoices; problem: string | null }> {
  const none: CredentialChoices = { ssh: [], gpg: [] };
  const status = await jenkinsStatus(getJenkins);
  if (!status.ok) return { choices: none, problem: status.message };
  try {
    return { choices: await listFormChoices(db, getJenkins()), problem: null };
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    return { choices: none, problem: jenkinsFaultMessage(error, { jenkinsUrl: getJenkins().url }) };
  }
}
