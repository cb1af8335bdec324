import type { ResultName } from "./job-config";

export interface ParameterValue {
  className: string;
  name: string;
  value: string;
  /** PasswordParameterValue, CredentialsParameterValue: exported without `value`, like Jenkins */
  sensitive: boolean;
  /**
   * CredentialsParameterValue.isDefaultValue: the id is the definition's default,
   * so it resolves in the job's context without checking who started the build.
   */
  isDefaultValue?: boolean;
}

export const CREDENTIALS_PARAMETER_VALUE = "com.cloudbees.plugins.credentials.CredentialsParameterValue";
export const STRING_PARAMETER_VALUE = "hudson.model.StringParameterValue";

/** A cause as Jenkins exports it: `_class`, `shortDescription` and the class' own fields. */
export type Cause = { _class: string; shortDescription: string } & Record<string, string | number | null>;

export interface BuildRecord {
  number: number;
  queueId: number;
  timestamp: number;
  duration: number;
  estimatedDuration: number;
  result: ResultName | null;
  building: boolean;
  parameters: ParameterValue[] | null;
  causes: Cause[];
  builtOn: string;
  artifacts: string[];
  keepLog: boolean;
  description: string | null;
}

const ORDINAL: Record<ResultName, number> = { SUCCESS: 0, UNSTABLE: 1, FAILURE: 2, NOT_BUILT: 3, ABORTED: 4 };

export function isWorseOrEqual(a: ResultName, b: ResultName): boolean {
  return ORDINAL[a] >= ORDINAL[b];
}

export function worstOf(a: ResultName, b: ResultName): ResultName {
  return ORDINAL[a] >= ORDINAL[b] ? a : b;
}

export const RESULT_COLOR: Record<ResultName, string> = {
  SUCCESS: "blue",
  UNSTABLE: "yellow",
  FAILURE: "red",
  NOT_BUILT: "notbuilt",
  ABORTED: "aborted",
};
