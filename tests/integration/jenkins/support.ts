import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createJenkinsAdapter, jenkinsConfig, type JenkinsAdapter, type JenkinsConfig } from "@/lib/jenkins";
import { startTestEmulator, type TestEmulator } from "@/tests/support/emulator";

// Shared by the adapter tests: an emulator with an admin and a plain user
// (fresh tokens per start), adapters for each, and small job configs.

export interface AdapterFixture {
  emulator: TestEmulator;
  adminToken: string;
  admin: JenkinsAdapter;
  /** Overall/Read, Job/Read, Job/Build, Job/Cancel, Credentials/View only. */
  viewer: JenkinsAdapter;
  /** The viewer's permissions less Job/Read: Jenkins shows it no job (every job is a 404). */
  noJobRead: JenkinsAdapter;
  adapterWith(overrides: Partial<JenkinsConfig>): JenkinsAdapter;
}

export async function startAdapterFixture(): Promise<AdapterFixture> {
  const adminToken = randomBytes(16).toString("hex");
  const viewerToken = randomBytes(16).toString("hex");
  const blindToken = randomBytes(16).toString("hex");
  const emulator = await startTestEmulator({
    users: [
      { id: "boss", apiTokens: [adminToken], admin: true },
      { id: "viewer", apiTokens: [viewerToken], admin: false },
      { id: "blind", apiTokens: [blindToken], permissions: ["Overall/Read", "Job/Build", "Job/Cancel", "Credentials/View"] },
    ],
  });
  const adapterWith = (overrides: Partial<JenkinsConfig>) =>
    createJenkinsAdapter(
      jenkinsConfig({
        url: emulator.url,
        credentials: { user: "boss", apiToken: adminToken },
        timeoutMs: 5000,
        retryDelayMs: 20,
        ...overrides,
      }),
    );
  return {
    emulator,
    adminToken,
    admin: adapterWith({}),
    viewer: adapterWith({ credentials: { user: "viewer", apiToken: viewerToken } }),
    noJobRead: adapterWith({ credentials: { user: "blind", apiToken: blindToken } }),
    adapterWith,
  };
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function stringParameter(name: string, defaultValue = ""): string {
  return `<hudson.model.StringParameterDefinition><name>${name}</name><description/><defaultValue>${escapeXml(defaultValue)}</defaultValue><trim>false</trim></hudson.model.StringParameterDefinition>`;
}

export function passwordParameter(name: string): string {
  return `<hudson.model.PasswordParameterDefinition><name>${name}</name><description/><defaultValue/></hudson.model.PasswordParameterDefinition>`;
}

export function freestyleJob(options: { command: string; parameters?: string[]; archive?: string; description?: string }): string {
  const parameters = options.parameters?.length
    ? `<hudson.model.ParametersDefinitionProperty><parameterDefinitions>${options.parameters.join("")}</parameterDefinitions></hudson.model.ParametersDefinitionProperty>`
    : "";
  const archive = options.archive
    ? `<hudson.tasks.ArtifactArchiver><artifacts>${options.archive}</artifacts><allowEmptyArchive>false</allowEmptyArchive></hudson.tasks.ArtifactArchiver>`
    : "";
  return `<?xml version="1.0" encoding="utf-8"?>
<project>
  <actions/>
  <description>${escapeXml(options.description ?? "adapter test job")}</description>
  <keepDependencies>false</keepDependencies>
  <properties>${parameters}</properties>
  <concurrentBuild>false</concurrentBuild>
  <builders><hudson.tasks.Shell><command>${escapeXml(options.command)}</command></hudson.tasks.Shell></builders>
  <publishers>${archive}</publishers>
  <buildWrappers/>
</project>
`;
}

/** A unique job name per test, so tests in one file never share a job. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** The promise's JenkinsError kind ("ok" when it resolves), for table-style assertions. */
export async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { kind?: string }).kind ?? `untyped: ${String(error)}`;
  }
}

export const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface ProvisionRun {
  code: number;
  stdout: string;
  stderr: string;
  /** job name → created | updated | unchanged | drifted | failed (from --json) */
  outcomes: Record<string, string>;
  callbackCredential: string | null;
}

/** Runs `tsx tools/provision-jobs.ts --json …` (what `npm run jobs:provision` runs) with only the given environment. */
export function runProvisionCommand(args: string[], env: Record<string, string>): Promise<ProvisionRun> {
  const tsx = path.join(REPO_ROOT, "node_modules/.bin/tsx");
  const script = path.join(REPO_ROOT, "tools/provision-jobs.ts");
  // Only what the test passes: no JENKINS_* or secrets leak in from the runner.
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env };
  return new Promise((resolve) => {
    execFile(tsx, [script, "--json", ...args], { cwd: REPO_ROOT, env: childEnv as NodeJS.ProcessEnv }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
      let outcomes: Record<string, string> = {};
      let callbackCredential: string | null = null;
      if (stdout.trim().startsWith("{")) {
        const report = JSON.parse(stdout) as { jobs: Array<{ name: string; outcome: string }>; callbackCredential: string | null };
        outcomes = Object.fromEntries(report.jobs.map((job) => [job.name, job.outcome]));
        callbackCredential = report.callbackCredential;
      }
      resolve({ code, stdout, stderr, outcomes, callbackCredential });
    });
  });
}

/**
 * A build's raw console log as the emulator stores it — console notes included, the file whose
 * byte offsets progressiveText counts (the portal's reads strip the notes).
 */
export function rawConsoleLog(emulator: TestEmulator, job: string, build: number): Buffer {
  return fs.readFileSync(
    path.join(emulator.home, "jobs", ...job.split("/").flatMap((p, i) => (i === 0 ? [p] : ["jobs", p])), "builds", String(build), "log"),
  );
}
