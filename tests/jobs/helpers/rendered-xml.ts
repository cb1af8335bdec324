import { asArray, at, type XmlNode } from "./render";

// Readers of the XML JJB renders, for tests/jobs/render.test.ts: parameter definitions, shell
// steps and parameterized-trigger configs, by the plugin class names Jenkins stores.

export const TRIGGER = "hudson.plugins.parameterizedtrigger.TriggerBuilder";
export const BINDINGS = ["buildWrappers", "org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper", "bindings"];
export const CREDENTIALS_PARAMETER = "com.cloudbees.plugins.credentials.CredentialsParameterDefinition";
export const CURRENT_PARAMETERS = "hudson.plugins.parameterizedtrigger.CurrentBuildParameters";
export const PREDEFINED_PARAMETERS = "hudson.plugins.parameterizedtrigger.PredefinedBuildParameters";

/** "Kind:NAME" of every parameter a job declares (hudson.model. left out of the kind). */
export function parameterNamesOf(job: XmlNode): string[] {
  const definitions = (at(job, "properties", "hudson.model.ParametersDefinitionProperty", "parameterDefinitions") ?? {}) as XmlNode;
  return Object.entries(definitions).flatMap(([kind, value]) =>
    asArray(value as XmlNode | XmlNode[]).map((d) => `${kind.replace("hudson.model.", "")}:${String(d.name)}`),
  );
}

export function shellCommands(node: unknown): string[] {
  return asArray(at(node, "hudson.tasks.Shell") as XmlNode[]).map((s) => String(s.command));
}

export function credentialParametersOf(job: XmlNode): XmlNode[] {
  const definitions = at(job, "properties", "hudson.model.ParametersDefinitionProperty", "parameterDefinitions", CREDENTIALS_PARAMETER);
  return asArray(definitions as XmlNode | XmlNode[] | undefined);
}

export interface Trigger {
  project: string;
  properties: string[];
  /** the trigger's parameter sources in config order (later ones win on a shared name) */
  sources: string[];
  sameNode: boolean;
  block: unknown;
}

export function triggers(node: unknown): Trigger[] {
  return asArray(at(node, TRIGGER) as XmlNode[]).map((t) => {
    const config = at(t, "configs", "hudson.plugins.parameterizedtrigger.BlockableBuildTriggerConfig") as XmlNode;
    const configs = config.configs as XmlNode;
    return {
      project: String(config.projects),
      properties: String(at(configs, PREDEFINED_PARAMETERS, "properties")).split("\n"),
      sources: Object.keys(configs).filter((k) => k === CURRENT_PARAMETERS || k === PREDEFINED_PARAMETERS),
      sameNode: "hudson.plugins.parameterizedtrigger.NodeParameters" in configs,
      block: config.block,
    };
  });
}
