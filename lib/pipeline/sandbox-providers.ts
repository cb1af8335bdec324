// The one list of sandbox providers: where the disposable database server runs. Only providers
// the pipeline can deploy are listed, so the forms never offer one that fails. Zod-free: browser
// code imports it.

export const SANDBOX_PROVIDERS = ["local", "docker"] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

export const SANDBOX_PROVIDER_LABELS: Record<SandboxProvider, string> = {
  local: "Local — a throwaway database server on the Jenkins agent",
  docker: "Container — a throwaway, limited container on the agent's Docker or Podman",
};
