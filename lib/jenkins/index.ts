import * as builds from "./builds";
import { loadJenkinsConfig, type JenkinsConfig } from "./config";
import * as credentials from "./credentials";
import * as jobs from "./jobs";
import * as queue from "./queue";
import * as streams from "./streams";
import { JenkinsTransport } from "./transport";

// The product's Jenkins adapter: one object per Jenkins server, every call
// typed in app terms (types.ts), every failure a JenkinsError (errors.ts).
// Server code uses getJenkins(); tests and tools build their own with
// createJenkinsAdapter(jenkinsConfig({...})).

type Rest<F> = F extends (transport: JenkinsTransport, ...args: infer A) => unknown ? A : never;

export function createJenkinsAdapter(config: JenkinsConfig) {
  const t = new JenkinsTransport(config);
  return {
    /** Base URL (trailing slash); never carries credentials. */
    url: config.url,

    checkConnection: () => jobs.checkConnection(t),
    listJobNames: () => jobs.listJobNames(t),
    getJob: (...a: Rest<typeof jobs.getJob>) => jobs.getJob(t, ...a),
    jobExists: (...a: Rest<typeof jobs.jobExists>) => jobs.jobExists(t, ...a),
    getJobConfig: (...a: Rest<typeof jobs.getJobConfig>) => jobs.getJobConfig(t, ...a),
    createJob: (...a: Rest<typeof jobs.createJob>) => jobs.createJob(t, ...a),
    updateJobConfig: (...a: Rest<typeof jobs.updateJobConfig>) => jobs.updateJobConfig(t, ...a),
    deleteJob: (...a: Rest<typeof jobs.deleteJob>) => jobs.deleteJob(t, ...a),
    enableJob: (...a: Rest<typeof jobs.enableJob>) => jobs.enableJob(t, ...a),
    disableJob: (...a: Rest<typeof jobs.disableJob>) => jobs.disableJob(t, ...a),
    getJobParameterDefinitions: (...a: Rest<typeof jobs.getJobParameterDefinitions>) => jobs.getJobParameterDefinitions(t, ...a),

    triggerBuild: (...a: Rest<typeof queue.triggerBuild>) => queue.triggerBuild(t, ...a),
    getQueueState: (...a: Rest<typeof queue.getQueueState>) => queue.getQueueState(t, ...a),
    waitForQueueItem: (...a: Rest<typeof queue.waitForQueueItem>) => queue.waitForQueueItem(t, ...a),
    cancelQueueItem: (...a: Rest<typeof queue.cancelQueueItem>) => queue.cancelQueueItem(t, ...a),

    getBuild: (...a: Rest<typeof builds.getBuild>) => builds.getBuild(t, ...a),
    waitForBuild: (...a: Rest<typeof builds.waitForBuild>) => builds.waitForBuild(t, ...a),
    stopBuild: (...a: Rest<typeof builds.stopBuild>) => builds.stopBuild(t, ...a),
    listBuilds: (...a: Rest<typeof builds.listBuilds>) => builds.listBuilds(t, ...a),
    readLog: (...a: Rest<typeof builds.readLog>) => builds.readLog(t, ...a),
    readFullLog: (...a: Rest<typeof builds.readFullLog>) => builds.readFullLog(t, ...a),
    readArtifact: (...a: Rest<typeof builds.readArtifact>) => builds.readArtifact(t, ...a),
    readRestoreReport: (...a: Rest<typeof builds.readRestoreReport>) => builds.readRestoreReport(t, ...a),
    openLog: (...a: Rest<typeof streams.openLog>) => streams.openLog(t, ...a),
    openConsoleText: (...a: Rest<typeof streams.openConsoleText>) => streams.openConsoleText(t, ...a),

    createCredential: (...a: Rest<typeof credentials.createCredential>) => credentials.createCredential(t, ...a),
    updateCredential: (...a: Rest<typeof credentials.updateCredential>) => credentials.updateCredential(t, ...a),
    deleteCredential: (...a: Rest<typeof credentials.deleteCredential>) => credentials.deleteCredential(t, ...a),
    credentialExists: (...a: Rest<typeof credentials.credentialExists>) => credentials.credentialExists(t, ...a),
    getCredential: (...a: Rest<typeof credentials.getCredential>) => credentials.getCredential(t, ...a),
    listCredentials: () => credentials.listCredentials(t),
  };
}

export type JenkinsAdapter = ReturnType<typeof createJenkinsAdapter>;

let fromEnv: JenkinsAdapter | undefined;

/** The adapter for the configured Jenkins (JENKINS_URL…); throws JenkinsConfigError when unset or invalid. */
export function getJenkins(): JenkinsAdapter {
  fromEnv ??= createJenkinsAdapter(loadJenkinsConfig());
  return fromEnv;
}

export { JenkinsConfigError, jenkinsConfig, loadJenkinsConfig, type JenkinsConfig } from "./config";
export { JenkinsError, isJenkinsError, type JenkinsErrorKind } from "./errors";
export { queueIdFromLocation } from "./queue";
export { RESTORE_REPORT_FILE, MAX_BUILDS_PER_PAGE } from "./builds";
export type { CredentialXml } from "./credentials";
export type { LogStream } from "./streams";
export { resumeOffset } from "./streams";
export { plainConsoleText, rawBytesOf, stripConsoleNotes, stripConsoleNotesStream } from "./console-notes";
export type { StreamResponse } from "./transport";
export type * from "./types";
