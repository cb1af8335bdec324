import type { BuildContext, RunnerHost } from "./context";

// The environment of a build's steps: the variables Jenkins sets for every build (see
// "Jenkins Set Environment Variables" in its docs), the emulator's own process environment
// without its JENKINS_EMULATOR_* settings, and the build's parameters last, as Jenkins does.

export function buildEnvironment(host: RunnerHost, ctx: BuildContext): Record<string, string> {
  const { job, record, node } = ctx;
  const root = host.rootUrl();
  const buildUrl = `${root}${job.urlPath}${record.number}/`;
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("JENKINS_EMULATOR_")),
  ) as Record<string, string>;
  const params = Object.fromEntries((record.parameters ?? []).map((p) => [p.name, p.value]));
  return {
    ...inherited,
    BUILD_DISPLAY_NAME: `#${record.number}`,
    BUILD_ID: String(record.number),
    BUILD_NUMBER: String(record.number),
    BUILD_TAG: `jenkins-${job.fullName.replace(/\//g, "-")}-${record.number}`,
    BUILD_URL: buildUrl,
    CI: "true",
    EXECUTOR_NUMBER: String(ctx.executor),
    HUDSON_HOME: host.home,
    HUDSON_URL: root,
    JENKINS_HOME: host.home,
    JENKINS_NODE_COOKIE: ctx.cookie,
    JENKINS_URL: root,
    JOB_BASE_NAME: job.name,
    JOB_DISPLAY_URL: `${root}${job.urlPath}display/redirect`,
    JOB_NAME: job.fullName,
    JOB_URL: `${root}${job.urlPath}`,
    NODE_LABELS: node.labelString,
    NODE_NAME: node.name,
    RUN_ARTIFACTS_DISPLAY_URL: `${buildUrl}display/redirect?page=artifacts`,
    RUN_CHANGES_DISPLAY_URL: `${buildUrl}display/redirect?page=changes`,
    RUN_DISPLAY_URL: `${buildUrl}display/redirect`,
    RUN_TESTS_DISPLAY_URL: `${buildUrl}display/redirect?page=tests`,
    WORKSPACE: ctx.workspace,
    WORKSPACE_TMP: `${ctx.workspace}@tmp`,
    ...params,
  };
}
