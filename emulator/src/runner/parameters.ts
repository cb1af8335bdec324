import { CREDENTIALS_PARAMETER_VALUE, STRING_PARAMETER_VALUE, type ParameterValue } from "../model/build-record";
import type { Job } from "../model/items";
import type { ParameterDefinition } from "../model/job-config";

export class ParameterError extends Error {}

const VALUE_CLASS: Record<string, string> = {
  StringParameterDefinition: STRING_PARAMETER_VALUE,
  TextParameterDefinition: "hudson.model.TextParameterValue",
  ChoiceParameterDefinition: STRING_PARAMETER_VALUE,
  BooleanParameterDefinition: "hudson.model.BooleanParameterValue",
  PasswordParameterDefinition: "hudson.model.PasswordParameterValue",
  FileParameterDefinition: "hudson.model.FileParameterValue",
  CredentialsParameterDefinition: CREDENTIALS_PARAMETER_VALUE,
};

/** ParameterDefinition.getDefaultParameterValue */
function defaultValueOf(def: ParameterDefinition): ParameterValue {
  const value: ParameterValue = {
    className: VALUE_CLASS[def.type] ?? STRING_PARAMETER_VALUE,
    name: def.name,
    value: def.defaultValue,
    sensitive: def.sensitive,
  };
  if (def.type === "CredentialsParameterDefinition") value.isDefaultValue = true;
  return value;
}

/** SimpleParameterDefinition.createValue(String) */
function createValue(def: ParameterDefinition, supplied: string): ParameterValue {
  if (def.choices && !def.choices.includes(supplied)) {
    throw new ParameterError(`Illegal choice for parameter ${def.name}: ${supplied}`);
  }
  const value: ParameterValue = {
    className: VALUE_CLASS[def.type] ?? STRING_PARAMETER_VALUE,
    name: def.name,
    value: supplied,
    sensitive: def.sensitive,
  };
  if (def.type === "BooleanParameterDefinition") value.value = String(supplied === "true" || supplied === "on");
  // CredentialsParameterDefinition.createValue(String): "default" means equal to the configured default id
  if (def.type === "CredentialsParameterDefinition") value.isDefaultValue = supplied === def.defaultValue;
  return value;
}

/**
 * How a value reached the job: `request` is buildWithParameters or a timer
 * (SimpleParameterDefinition.createValue(StaplerRequest): missing → default,
 * else createValue(String)); `form` is the `json` field of /build
 * (createValue(StaplerRequest, JSONObject)), where a required credentials
 * parameter left blank falls back to its default.
 */
export type ValueOrigin = "request" | "form";

/**
 * Only parameters the job defines are taken (SECURITY-170); missing ones get
 * their defaults (a choice's first option). Null for a non-parameterized job.
 */
export function parametersFor(job: Job, supplied: ReadonlyMap<string, string>, origin: ValueOrigin = "request"): ParameterValue[] | null {
  if (job.def.parameters.length === 0) return null;
  return job.def.parameters.map((def) => {
    const value = supplied.get(def.name);
    if (value === undefined) return defaultValueOf(def);
    if (origin === "form" && def.type === "CredentialsParameterDefinition" && def.required && value.trim() === "")
      return defaultValueOf(def);
    return createValue(def, value);
  });
}

/** Only String(Text)ParameterDefinition is exempt: it is not converted by the trigger (canConvert). */
function convertible(def: ParameterDefinition): boolean {
  return def.type !== "StringParameterDefinition" && def.type !== "TextParameterDefinition" && def.type !== "FileParameterDefinition";
}

/**
 * parameterized-trigger's ProjectSpecificParametersActionFactory for the
 * downstream job: a plain StringParameterValue whose name the job defines as
 * another simple type (choice, boolean, password, credentials…) is converted
 * with that definition's createValue(String)
 * (ProjectSpecificParameterValuesActionTransform); every other value keeps its
 * type (e.g. a CredentialsParameterValue copied by CurrentBuildParameters);
 * then the job's defaults fill what was not given
 * (DefaultParameterValuesActionsTransform). Undefined names are dropped.
 */
export function parametersForTrigger(job: Job, given: readonly ParameterValue[]): ParameterValue[] | null {
  if (job.def.parameters.length === 0) return null;
  const byName = new Map(given.map((v) => [v.name, v]));
  return job.def.parameters.map((def) => {
    const value = byName.get(def.name);
    if (!value) return defaultValueOf(def);
    if (value.className === STRING_PARAMETER_VALUE && convertible(def)) return createValue(def, value.value);
    return { ...value };
  });
}

/** java.lang.String.hashCode */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * ParameterValue.getShortDescription as Queue.Item.getParams lists it.
 * CredentialsParameterValue overrides neither it nor toString, so Jenkins
 * shows Object.toString: the class name and ParameterValue.hashCode
 * (Objects.hash(name)) in hex.
 */
export function shortDescription(p: ParameterValue): string {
  if (p.className === CREDENTIALS_PARAMETER_VALUE) return `${p.className}@${((31 + javaStringHash(p.name)) >>> 0).toString(16)}`;
  return `${p.name}=${p.sensitive ? "****" : p.value}`;
}

/**
 * ParameterValue.equals, used by ParametersAction.shouldSchedule to spot an
 * identical queued build: class and name, plus the value for the types that
 * override equals — CredentialsParameterValue does not, so two builds that
 * differ only in a credential id count as the same.
 */
export function identityOf(p: ParameterValue): string {
  return JSON.stringify(p.className === CREDENTIALS_PARAMETER_VALUE ? [p.className, p.name] : [p.className, p.name, p.value]);
}
