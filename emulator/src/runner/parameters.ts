import type { ParameterValue } from "../model/build-record";
import type { Job } from "../model/items";
import type { ParameterDefinition } from "../model/job-config";

export class ParameterError extends Error {}

const VALUE_CLASS: Record<string, string> = {
  StringParameterDefinition: "hudson.model.StringParameterValue",
  TextParameterDefinition: "hudson.model.TextParameterValue",
  ChoiceParameterDefinition: "hudson.model.StringParameterValue",
  BooleanParameterDefinition: "hudson.model.BooleanParameterValue",
  PasswordParameterDefinition: "hudson.model.PasswordParameterValue",
  FileParameterDefinition: "hudson.model.FileParameterValue",
};

function valueFor(def: ParameterDefinition, supplied: string | undefined): ParameterValue {
  let value = supplied ?? def.defaultValue;
  if (supplied !== undefined && def.choices && !def.choices.includes(supplied)) {
    throw new ParameterError(`Illegal choice for parameter ${def.name}: ${supplied}`);
  }
  if (def.type === "BooleanParameterDefinition") value = String(value === "true" || value === "on");
  return { className: VALUE_CLASS[def.type] ?? "hudson.model.StringParameterValue", name: def.name, value, sensitive: def.sensitive };
}

/**
 * Only parameters the job defines are taken (SECURITY-170); missing ones get
 * their defaults (a choice's first option). Null for a non-parameterized job.
 */
export function parametersFor(job: Job, supplied: ReadonlyMap<string, string>): ParameterValue[] | null {
  if (job.def.parameters.length === 0) return null;
  return job.def.parameters.map((def) => valueFor(def, supplied.get(def.name)));
}
