import { z } from "zod";

// Job full names ("folder/job") and the relative URL paths Jenkins serves them at.

/** Characters Jenkins refuses in item names (Jenkins.checkGoodName), plus "/" inside a segment. */
const UNSAFE = /[\\:;|?*%<>[\]"#@!&]/;

export const jobNameSchema = z
  .string()
  .min(1, { error: "A job name is required" })
  .max(400, { error: "The job name is too long" })
  .refine(
    (name) =>
      name
        .split("/")
        .every((segment) => segment !== "" && segment !== "." && segment !== ".." && segment.trim() === segment && !UNSAFE.test(segment)),
    {
      error: "The job name must be folder/…/name segments without unsafe characters",
    },
  );

export const buildNumberSchema = z
  .number()
  .int({ error: "A build number is a whole number" })
  .min(1, { error: "Build numbers start at 1" });
export const queueIdSchema = z.number().int().min(1, { error: "Queue ids start at 1" });
export const credentialIdSchema = z
  .string()
  .min(1, { error: "A credential id is required" })
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "A credential id holds letters, digits, '.', '_' and '-'" });

/** "a/b" → "job/a/job/b/" (each segment URL-encoded). */
export function jobPath(fullName: string): string {
  const name = jobNameSchema.parse(fullName);
  return name
    .split("/")
    .map((segment) => `job/${encodeURIComponent(segment)}/`)
    .join("");
}

export function buildPath(fullName: string, number: number): string {
  return `${jobPath(fullName)}${buildNumberSchema.parse(number)}/`;
}

/** Relative artifact path ("restore-report/restore-report.json"), each segment encoded; no escaping the artifact root. */
export function artifactPath(relativePath: string): string {
  const segments = relativePath.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new Error(`Invalid artifact path: ${relativePath}`);
  }
  return segments.map(encodeURIComponent).join("/");
}

/** System credential store, global domain (contract §4). */
export const SYSTEM_CREDENTIALS_PATH = "credentials/store/system/domain/_/";
