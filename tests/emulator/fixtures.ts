// Small hand-written job configs for contract tests (JJB output is covered by jjb-jobs.test.ts).

export function freestyleXml(opts: { command?: string; parameters?: string; extra?: string; concurrent?: boolean } = {}): string {
  const params = opts.parameters
    ? `<hudson.model.ParametersDefinitionProperty><parameterDefinitions>${opts.parameters}</parameterDefinitions></hudson.model.ParametersDefinitionProperty>`
    : "";
  const command = (opts.command ?? "echo hello").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="utf-8"?>
<project>
  <actions/>
  <description>test job</description>
  <keepDependencies>false</keepDependencies>
  <properties>${params}</properties>
  <concurrentBuild>${opts.concurrent ? "true" : "false"}</concurrentBuild>
  <builders><hudson.tasks.Shell><command>${command}</command></hudson.tasks.Shell></builders>
  <publishers/>
  <buildWrappers/>
  ${opts.extra ?? ""}
</project>
`;
}

export const stringParam = (name: string, def: string) =>
  `<hudson.model.StringParameterDefinition><name>${name}</name><description/><defaultValue>${def}</defaultValue><trim>false</trim></hudson.model.StringParameterDefinition>`;

export const choiceParam = (name: string, choices: string[]) =>
  `<hudson.model.ChoiceParameterDefinition><name>${name}</name><description/><choices class="java.util.Arrays$ArrayList"><a class="string-array">${choices
    .map((c) => `<string>${c}</string>`)
    .join("")}</a></choices></hudson.model.ChoiceParameterDefinition>`;

export const FOLDER_XML = `<?xml version="1.0" encoding="utf-8"?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder"><description>a folder</description><properties/></com.cloudbees.hudson.plugins.folder.Folder>
`;

/**
 * The log-file bytes a progressiveText body stands for: Jenkins sends each "\n" as "\r\n"
 * (the logs here have "\n" line ends).
 */
export function rawLength(body: string): number {
  return Buffer.byteLength(body) - (body.match(/\r\n/g) ?? []).length;
}

/** A progressiveText body with Jenkins' "\r\n" line ends turned back into the log's "\n". */
export const lf = (body: string) => body.replace(/\r\n/g, "\n");
