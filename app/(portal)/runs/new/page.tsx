import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { listFormChoices, type CredentialChoices } from "@/lib/credentials/catalog";
import { db } from "@/lib/db/client";
import { getJenkins, isJenkinsError } from "@/lib/jenkins";
import { jenkinsFaultMessage } from "@/lib/jenkins/messages";
import { jenkinsStatus } from "@/lib/runs/jenkins-status";
import { RUN_PARAMETERS } from "@/lib/pipeline/parameters";
import { prefillFromRun } from "@/lib/runs/prefill";
import { RunForm } from "./run-form";

export const metadata: Metadata = { title: "Run a restore" };
export const dynamic = "force-dynamic";

type Problem = { kind: string; message: string } | null;

/** Jenkins' state and its keys; a dead or misconfigured Jenkins is a notice on the page, never a 500. */
async function jenkinsSide(): Promise<{ problem: Problem; choices: CredentialChoices }> {
  const none: CredentialChoices = { ssh: [], gpg: [] };
  const status = await jenkinsStatus(getJenkins);
  if (!status.ok) return { problem: status, choices: none };
  try {
    return { problem: null, choices: await listFormChoices(db, getJenkins()) };
  } catch (error) {
    if (!isJenkinsError(error)) throw error;
    return { problem: { kind: error.kind, message: jenkinsFaultMessage(error, { jenkinsUrl: getJenkins().url }) }, choices: none };
  }
}

export default async function RunRestorePage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  const [user, { problem, choices }] = await Promise.all([requireUser(), jenkinsSide()]);
  const initial = await prefillFromRun(db, (await searchParams).from, RUN_PARAMETERS);
  return (
    <>
      <h1>Run a Test Restoration</h1>
      <p className="muted">
        Jenkins fetches the backup over SSH, decrypts it, restores it into a throwaway database, reads every row, checks integrity and
        destroys the sandbox. You see each stage live on the next page.
      </p>
      {problem ? (
        <div className="notice error" role="alert">
          <p>
            <strong>No restore can start now.</strong> {problem.message}
          </p>
        </div>
      ) : null}
      {!problem && choices.ssh.length === 0 ? (
        <div className="panel empty" role="status">
          <p>Jenkins holds no SSH key yet, so Restore Drill cannot reach any backup server.</p>
          <p>
            A manager must add one first.{" "}
            {user.role === "manager" ? (
              <Link href="/credentials">Add an SSH key on the Credentials page.</Link>
            ) : (
              "Ask a manager to add one."
            )}
          </p>
        </div>
      ) : (
        <div className="panel">
          <RunForm
            choices={choices}
            initial={initial}
            blockedReason={problem ? "Jenkins is not available; the form will work again once it answers." : null}
          />
        </div>
      )}
    </>
  );
}
