import { child, childBool, childText, findDescendant, parseXml, type XmlElement } from "../xml";
import type { JobThrottle } from "../queue/throttle";

// Reads the parts of a job's config.xml the emulator acts on. Everything else
// in the document is kept verbatim by the item store and simply ignored here.

export type ItemKind = "freestyle" | "pipeline" | "folder";

export const ITEM_CLASS: Record<ItemKind, string> = {
  freestyle: "hudson.model.FreeStyleProject",
  pipeline: "org.jenkinsci.plugins.workflow.job.WorkflowJob",
  folder: "com.cloudbees.hudson.plugins.folder.Folder",
};

const ROOT_KINDS: Record<string, ItemKind> = {
  project: "freestyle",
  "hudson.model.FreeStyleProject": "freestyle",
  "flow-definition": "pipeline",
  "org.jenkinsci.plugins.workflow.job.WorkflowJob": "pipeline",
  "com.cloudbees.hudson.plugins.folder.Folder": "folder",
};

export interface ParameterDefinition {
  className: string;
  type: string;
  name: string;
  description: string;
  defaultValue: string;
  choices?: string[];
  sensitive: boolean;
  /** CredentialsParameterDefinition: credential class name and whether a blank form value falls back to the default */
  credentialType?: string;
  required?: boolean;
}

export type ResultName = "SUCCESS" | "UNSTABLE" | "FAILURE" | "NOT_BUILT" | "ABORTED";

/** An AbstractBuildParameters entry of a trigger config, in config order (later ones override earlier ones). */
export type TriggerParameterSource = { type: "current" } | { type: "predefined"; properties: string } | { type: "node" };

export interface TriggerConfig {
  projects: string[];
  condition: string;
  parameterSources: TriggerParameterSource[];
  triggerWithNoParameters: boolean;
  block?: { buildStepFailure?: ResultName; unstable?: ResultName; failure?: ResultName };
}

export type BuildStep =
  | { type: "shell"; command: string; unstableReturn?: number }
  | { type: "trigger"; configs: TriggerConfig[] }
  | { type: "unsupported"; tag: string };

export type Binding =
  | { type: "ssh"; credentialsId: string; keyFileVariable: string; usernameVariable?: string; passphraseVariable?: string }
  | { type: "file"; credentialsId: string; variable: string }
  | { type: "string"; credentialsId: string; variable: string }
  | { type: "usernamePassword"; credentialsId: string; usernameVariable?: string; passwordVariable?: string; variable?: string };

export type Publisher =
  | { type: "archive"; artifacts: string; excludes: string; allowEmpty: boolean; onlyIfSuccessful: boolean }
  | { type: "mailer"; recipients: string; dontNotifyEveryUnstableBuild: boolean }
  | { type: "buildTrigger"; configs: TriggerConfig[] }
  | { type: "postBuildScript"; markBuildUnstable: boolean; steps: Array<{ results: ResultName[]; builders: BuildStep[] }> }
  | { type: "unsupported"; tag: string };

export interface JobDefinition {
  kind: ItemKind;
  description: string;
  disabled: boolean;
  concurrentBuild: boolean;
  assignedNode?: string;
  /** throttle-concurrents' ThrottleJobProperty, when enabled (emulated in queue/throttle.ts). */
  throttle?: JobThrottle;
  quietPeriod?: number;
  parameters: ParameterDefinition[];
  timerSpecs: string[];
  wrappers: Binding[];
  unsupportedWrappers: string[];
  builders: BuildStep[];
  publishers: Publisher[];
  discarder?: { numToKeep: number; daysToKeep: number };
}

export class UnsupportedItemTypeError extends Error {}

const PARAM_TYPES: Record<string, { type: string; sensitive: boolean }> = {
  "hudson.model.StringParameterDefinition": { type: "StringParameterDefinition", sensitive: false },
  "hudson.model.TextParameterDefinition": { type: "TextParameterDefinition", sensitive: false },
  "hudson.model.ChoiceParameterDefinition": { type: "ChoiceParameterDefinition", sensitive: false },
  "hudson.model.BooleanParameterDefinition": { type: "BooleanParameterDefinition", sensitive: false },
  "hudson.model.PasswordParameterDefinition": { type: "PasswordParameterDefinition", sensitive: true },
  "hudson.model.FileParameterDefinition": { type: "FileParameterDefinition", sensitive: false },
  // CredentialsParameterValue.isSensitive() is true and it exports only its name.
  "com.cloudbees.plugins.credentials.CredentialsParameterDefinition": { type: "CredentialsParameterDefinition", sensitive: true },
};

function parseParameter(el: XmlElement): ParameterDefinition {
  const known = PARAM_TYPES[el.tag];
  const choicesEl = child(el, "choices");
  const choices = choicesEl ? collectStrings(choicesEl) : undefined;
  const rawDefault = childText(el, "defaultValue") ?? "";
  return {
    className: el.tag,
    type: known?.type ?? el.tag.split(".").pop()!,
    name: childText(el, "name") ?? "",
    description: childText(el, "description") ?? "",
    defaultValue: choices
      ? (choices[0] ?? "")
      : el.tag.endsWith("BooleanParameterDefinition")
        ? String(rawDefault.trim() === "true")
        : rawDefault,
    choices,
    sensitive: known?.sensitive ?? false,
    ...(el.tag.endsWith("CredentialsParameterDefinition")
      ? { credentialType: childText(el, "credentialType")?.trim() ?? "", required: childBool(el, "required", false) }
      : {}),
  };
}

function collectStrings(el: XmlElement): string[] {
  if (el.tag === "string") return [el.text];
  if (el.children.length === 0) return el.text.split(/\r?\n/).filter((s) => s !== ""); // <choices>a\nb</choices>
  return el.children.flatMap(collectStrings);
}

function parseResultName(el: XmlElement | undefined): ResultName | undefined {
  const name = childText(el, "name")?.trim();
  return name ? (name as ResultName) : undefined;
}

function parseTriggerConfig(el: XmlElement): TriggerConfig {
  const configs = child(el, "configs")?.children ?? [];
  const parameterSources = configs.flatMap((c): TriggerParameterSource[] => {
    if (c.tag.endsWith("CurrentBuildParameters")) return [{ type: "current" }];
    if (c.tag.endsWith("PredefinedBuildParameters")) return [{ type: "predefined", properties: childText(c, "properties") ?? "" }];
    // "Build on the same node" (JJB same-node: true): pins the triggered build to this build's node.
    if (c.tag.endsWith(".NodeParameters")) return [{ type: "node" }];
    return [];
  });
  const block = child(el, "block");
  return {
    projects: (childText(el, "projects") ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
    condition: (childText(el, "condition") ?? "ALWAYS").trim(),
    parameterSources,
    triggerWithNoParameters: childBool(el, "triggerWithNoParameters", false),
    block: block
      ? {
          buildStepFailure: parseResultName(child(block, "buildStepFailureThreshold")),
          unstable: parseResultName(child(block, "unstableThreshold")),
          failure: parseResultName(child(block, "failureThreshold")),
        }
      : undefined,
  };
}

function parseBuildStep(el: XmlElement): BuildStep {
  if (el.tag === "hudson.tasks.Shell") {
    const unstable = childText(el, "unstableReturn");
    return { type: "shell", command: childText(el, "command") ?? "", unstableReturn: unstable ? Number(unstable) : undefined };
  }
  if (el.tag === "hudson.plugins.parameterizedtrigger.TriggerBuilder") {
    return { type: "trigger", configs: (child(el, "configs")?.children ?? []).map(parseTriggerConfig) };
  }
  return { type: "unsupported", tag: el.tag };
}

const BINDING_PREFIX = "org.jenkinsci.plugins.credentialsbinding.impl.";

function parseBinding(el: XmlElement): Binding | undefined {
  const credentialsId = (childText(el, "credentialsId") ?? "").trim();
  const text = (tag: string) => childText(el, tag)?.trim() || undefined;
  switch (el.tag.slice(BINDING_PREFIX.length)) {
    case "SSHUserPrivateKeyBinding":
      return {
        type: "ssh",
        credentialsId,
        keyFileVariable: text("keyFileVariable") ?? "",
        usernameVariable: text("usernameVariable"),
        passphraseVariable: text("passphraseVariable"),
      };
    case "FileBinding":
      return { type: "file", credentialsId, variable: text("variable") ?? "" };
    case "StringBinding":
      return { type: "string", credentialsId, variable: text("variable") ?? "" };
    case "UsernamePasswordMultiBinding":
      return {
        type: "usernamePassword",
        credentialsId,
        usernameVariable: text("usernameVariable"),
        passwordVariable: text("passwordVariable"),
      };
    case "UsernamePasswordBinding":
      return { type: "usernamePassword", credentialsId, variable: text("variable") };
    default:
      return undefined;
  }
}

function parsePublisher(el: XmlElement): Publisher {
  switch (el.tag) {
    case "hudson.tasks.ArtifactArchiver":
      return {
        type: "archive",
        artifacts: childText(el, "artifacts") ?? "",
        excludes: childText(el, "excludes") ?? "",
        allowEmpty: childBool(el, "allowEmptyArchive", false),
        onlyIfSuccessful: childBool(el, "onlyIfSuccessful", false),
      };
    case "hudson.tasks.Mailer":
      return {
        type: "mailer",
        // expanded with the build's variables when the mail is sent (Mailer.perform: env.expand(recipients))
        recipients: childText(el, "recipients") ?? "",
        dontNotifyEveryUnstableBuild: childBool(el, "dontNotifyEveryUnstableBuild", false),
      };
    case "hudson.plugins.parameterizedtrigger.BuildTrigger":
      return { type: "buildTrigger", configs: (child(el, "configs")?.children ?? []).map(parseTriggerConfig) };
    case "org.jenkinsci.plugins.postbuildscript.PostBuildScript": {
      const config = child(el, "config") ?? el;
      const steps = (child(config, "buildSteps")?.children ?? []).map((step) => ({
        results: (child(step, "results")?.children ?? []).map((r) => r.text.trim() as ResultName),
        builders: (child(step, "buildSteps")?.children ?? []).map(parseBuildStep),
      }));
      return { type: "postBuildScript", markBuildUnstable: childBool(config, "markBuildUnstable", false), steps };
    }
    default:
      return { type: "unsupported", tag: el.tag };
  }
}

function parseTimerSpecs(root: XmlElement): string[] {
  const triggerLists = [child(root, "triggers")];
  const pipelineTriggers = findDescendant(root, "org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty");
  if (pipelineTriggers) triggerLists.push(child(pipelineTriggers, "triggers"));
  return triggerLists
    .flatMap((list) => list?.children ?? [])
    .filter((t) => t.tag === "hudson.triggers.TimerTrigger")
    .map((t) => childText(t, "spec") ?? "");
}

/** ThrottleJobProperty: its caps count only when throttleEnabled; the option picks project or categories. */
function parseThrottle(prop: ReturnType<typeof child>): JobThrottle | undefined {
  if (!prop || !childBool(prop, "throttleEnabled", false)) return undefined;
  const option = childText(prop, "throttleOption");
  if (option === "category") {
    const categories = (child(prop, "categories")?.children ?? []).map((c) => c.text.trim()).filter(Boolean);
    return { option, categories };
  }
  if (option !== "project") return undefined;
  const max = (name: string) => Math.max(0, Number(childText(prop, name) ?? 0) || 0);
  return { option, maxConcurrentPerNode: max("maxConcurrentPerNode"), maxConcurrentTotal: max("maxConcurrentTotal") };
}

/** Parses a config.xml; throws XmlSyntaxError or UnsupportedItemTypeError. */
export function parseJobConfig(xml: string): JobDefinition {
  const root = parseXml(xml);
  const kind = ROOT_KINDS[root.tag];
  if (!kind) throw new UnsupportedItemTypeError(`Unsupported item type <${root.tag}>`);
  const properties = child(root, "properties");
  const paramProp = child(properties, "hudson.model.ParametersDefinitionProperty");
  const discarder = child(child(properties, "jenkins.model.BuildDiscarderProperty"), "strategy");
  const wrapperEls = child(root, "buildWrappers")?.children ?? [];
  const secretWrapper = wrapperEls.find((w) => w.tag === `${BINDING_PREFIX}SecretBuildWrapper`);
  const quiet = childText(root, "quietPeriod");
  return {
    kind,
    description: childText(root, "description") ?? "",
    disabled: childBool(root, "disabled", false),
    concurrentBuild:
      kind === "pipeline"
        ? !child(properties, "org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty")
        : childBool(root, "concurrentBuild", false),
    assignedNode: childBool(root, "canRoam", false) ? undefined : childText(root, "assignedNode")?.trim() || undefined,
    throttle: parseThrottle(child(properties, "hudson.plugins.throttleconcurrents.ThrottleJobProperty")),
    quietPeriod: quiet ? Number(quiet) : undefined,
    parameters: (child(paramProp, "parameterDefinitions")?.children ?? []).map(parseParameter),
    timerSpecs: parseTimerSpecs(root),
    wrappers: (child(secretWrapper, "bindings")?.children ?? []).map(parseBinding).filter((b): b is Binding => b !== undefined),
    unsupportedWrappers: wrapperEls.filter((w) => w !== secretWrapper).map((w) => w.tag),
    builders: (child(root, "builders")?.children ?? []).map(parseBuildStep),
    publishers: (child(root, "publishers")?.children ?? []).map(parsePublisher),
    discarder: discarder
      ? { numToKeep: Number(childText(discarder, "numToKeep") ?? -1), daysToKeep: Number(childText(discarder, "daysToKeep") ?? -1) }
      : undefined,
  };
}
