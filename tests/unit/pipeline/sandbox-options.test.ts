import { sandboxOptionsOf } from "@/lib/pipeline/sandbox-options";

// The shape real Jenkins exports (hudson.model.ParametersDefinitionProperty#getParameterDefinitions,
// ChoiceParameterDefinition#getChoices), as the adapter returns it.
const job = (...defs: { name: string; choices?: string[] }[]) =>
  defs.map((d) => ({ type: d.choices ? "ChoiceParameterDefinition" : "StringParameterDefinition", ...d }));

describe("sandboxOptionsOf", () => {
  it("should offer only what both the portal and the job know", () => {
    expect(
      sandboxOptionsOf(
        job(
          { name: "SANDBOX_PROVIDER", choices: ["local", "docker"] },
          { name: "SANDBOX_IMAGE" },
          { name: "MATCH_ENGINE_VERSION", choices: ["false", "true"] },
        ),
      ),
    ).toEqual({
      providers: ["local", "docker"],
      images: true,
    });
    expect(sandboxOptionsOf(job({ name: "SANDBOX_PROVIDER", choices: ["local", "docker", "aws"] }))).toEqual({
      providers: ["local", "docker"],
      images: false,
    });
    expect(sandboxOptionsOf(job({ name: "SANDBOX_PROVIDER", choices: ["local"] }, { name: "SANDBOX_IMAGE" }))).toEqual({
      providers: ["local"],
      images: false,
    });
    expect(sandboxOptionsOf([])).toEqual({ providers: ["local"], images: false });
  });
});
