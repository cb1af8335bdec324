import { SANDBOX_PROVIDERS, type SandboxProvider } from "./sandbox-providers";

// What the provisioned pipeline job accepts of the sandbox parameters (issue 15 item 4): the forms
// offer a provider, an image and the version match only when the Jenkins job declares them, so a
// Jenkins still running an older job definition is never sent a value it would refuse. Read from
// the job's parameter definitions (./read-sandbox-options.ts). Zod-free: the forms import it.

export interface SandboxOptions {
  /** The providers both the portal and the job's SANDBOX_PROVIDER choice know; "local" always. */
  providers: SandboxProvider[];
  /** Whether the job takes SANDBOX_IMAGE and MATCH_ENGINE_VERSION. */
  images: boolean;
}

/** Every option: what the forms offer when nobody asked Jenkins (tests, previews). */
export const ALL_SANDBOX_OPTIONS: SandboxOptions = { providers: [...SANDBOX_PROVIDERS], images: true };
/** What any pipeline job accepts: a job without the parameter runs the local sandbox. */
export const LOCAL_ONLY: SandboxOptions = { providers: ["local"], images: false };

export function sandboxOptionsOf(definitions: readonly { name: string; choices?: string[] }[]): SandboxOptions {
  const provider = definitions.find((d) => d.name === "SANDBOX_PROVIDER");
  const offered = new Set(provider?.choices ?? []);
  const providers = SANDBOX_PROVIDERS.filter((p) => p === "local" || offered.has(p));
  const names = new Set(definitions.map((d) => d.name));
  return { providers, images: providers.includes("docker") && names.has("SANDBOX_IMAGE") && names.has("MATCH_ENGINE_VERSION") };
}
