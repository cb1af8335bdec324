import { z } from "zod";

// The one place Jenkins settings enter the product. The API token is kept out
// of every message and of the object's string/JSON forms.

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY_MS = 300;

export class JenkinsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JenkinsConfigError";
  }
}

const baseUrlSchema = z
  .string()
  .trim()
  .min(1, { error: "JENKINS_URL is empty" })
  .pipe(z.url({ protocol: /^https?$/, error: "JENKINS_URL must be an http:// or https:// URL" }))
  .refine(
    (value) => {
      const url = new URL(value);
      return url.username === "" && url.password === "";
    },
    { error: "JENKINS_URL must not contain a user or password; use JENKINS_USER and JENKINS_API_TOKEN" },
  )
  .refine((value) => new URL(value).search === "" && new URL(value).hash === "", { error: "JENKINS_URL must not have a query or fragment" })
  // One trailing slash, so relative paths resolve below a context path (/jenkins/).
  .transform((value) => (value.endsWith("/") ? value : `${value}/`));

const envSchema = z
  .object({
    JENKINS_URL: baseUrlSchema,
    JENKINS_USER: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined),
    JENKINS_API_TOKEN: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined),
    JENKINS_TIMEOUT_MS: z.coerce
      .number({ error: "JENKINS_TIMEOUT_MS must be a number of milliseconds" })
      .int({ error: "JENKINS_TIMEOUT_MS must be a whole number of milliseconds" })
      .min(100, { error: "JENKINS_TIMEOUT_MS must be at least 100" })
      .max(600_000, { error: "JENKINS_TIMEOUT_MS must be at most 600000" })
      .default(DEFAULT_TIMEOUT_MS),
  })
  .refine((env) => (env.JENKINS_USER === undefined) === (env.JENKINS_API_TOKEN === undefined), {
    error: "Set both JENKINS_USER and JENKINS_API_TOKEN, or neither (anonymous access)",
  });

export interface JenkinsCredentials {
  user: string;
  apiToken: string;
}

export interface JenkinsConfig {
  /** Base URL with a trailing slash, e.g. http://jenkins.example.com:8080/ */
  url: string;
  /** Absent means anonymous requests. */
  credentials?: JenkinsCredentials;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Extra attempts for idempotent calls (GET/HEAD) after an unreachable/timeout/5xx failure. */
  retries: number;
  /** Delay before the first retry; doubled for each further one. */
  retryDelayMs: number;
}

/**
 * Reads JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN and JENKINS_TIMEOUT_MS.
 * Throws JenkinsConfigError naming the variable at fault, never its value.
 */
export function loadJenkinsConfig(env: Record<string, string | undefined> = process.env): JenkinsConfig {
  if (!env.JENKINS_URL?.trim()) {
    throw new JenkinsConfigError("JENKINS_URL is not set: point it at the Jenkins server (e.g. http://127.0.0.1:8080/)");
  }
  const parsed = envSchema.safeParse({
    JENKINS_URL: env.JENKINS_URL,
    JENKINS_USER: env.JENKINS_USER,
    JENKINS_API_TOKEN: env.JENKINS_API_TOKEN,
    JENKINS_TIMEOUT_MS: env.JENKINS_TIMEOUT_MS?.trim() || undefined,
  });
  if (!parsed.success) {
    throw new JenkinsConfigError(`Invalid Jenkins configuration: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`);
  }
  const { JENKINS_URL, JENKINS_USER, JENKINS_API_TOKEN, JENKINS_TIMEOUT_MS } = parsed.data;
  return jenkinsConfig({
    url: JENKINS_URL,
    credentials: JENKINS_USER && JENKINS_API_TOKEN ? { user: JENKINS_USER, apiToken: JENKINS_API_TOKEN } : undefined,
    timeoutMs: JENKINS_TIMEOUT_MS,
  });
}

/** Builds a config in code (tests, tools); fills in the retry defaults. */
export function jenkinsConfig(input: Omit<JenkinsConfig, "retries" | "retryDelayMs"> & Partial<JenkinsConfig>): JenkinsConfig {
  const url = baseUrlSchema.safeParse(input.url);
  if (!url.success) throw new JenkinsConfigError(url.error.issues.map((issue) => issue.message).join("; "));
  const credentials = input.credentials ? hideToken(input.credentials) : undefined;
  return {
    url: url.data,
    credentials,
    timeoutMs: input.timeoutMs,
    retries: input.retries ?? DEFAULT_RETRIES,
    retryDelayMs: input.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
  };
}

/** Keeps the token out of console.log / JSON.stringify of a config object. */
function hideToken(credentials: JenkinsCredentials): JenkinsCredentials {
  const { user, apiToken } = credentials;
  const hidden = { user } as JenkinsCredentials;
  Object.defineProperty(hidden, "apiToken", { value: apiToken, enumerable: false });
  return hidden;
}
