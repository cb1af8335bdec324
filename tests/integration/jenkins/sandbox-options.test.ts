import path from "node:path";
import { PIPELINE_JOB } from "@/lib/pipeline/build-parameters";
import { readSandboxOptions } from "@/lib/pipeline/read-sandbox-options";
import { renderJobs } from "@/tools/jenkins/render-jobs";
import { freestyleJob, REPO_ROOT, startAdapterFixture, type AdapterFixture } from "./support";

// Issue 15 item 4: the forms offer the container sandbox and its image only when the provisioned
// pipeline job declares them, read from the job's parameter definitions through the adapter
// (GET /job/NAME/api/json?tree=property[parameterDefinitions[name,type,choices]]) against the emulator.

jest.setTimeout(120_000);

let fx: AdapterFixture;
beforeAll(async () => {
  fx = await startAdapterFixture();
});
afterAll(async () => {
  await fx?.emulator.cleanup();
});

const choice = (name: string, choices: string[]) =>
  `<hudson.model.ChoiceParameterDefinition><name>${name}</name><description/><choices class="java.util.Arrays$ArrayList"><a class="string-array">${choices
    .map((c) => `<string>${c}</string>`)
    .join("")}</a></choices></hudson.model.ChoiceParameterDefinition>`;

describe("the sandbox options the pipeline job accepts", () => {
  it("should be local only while Jenkins has no pipeline job", async () => {
    expect(await readSandboxOptions(fx.viewer)).toEqual({ providers: ["local"], images: false });
  });

  it("should be local only for a job provisioned before the container sandbox", async () => {
    await fx.admin.createJob(PIPELINE_JOB, freestyleJob({ command: "true", parameters: [choice("SANDBOX_PROVIDER", ["local"])] }));
    const definitions = await fx.viewer.getJobParameterDefinitions(PIPELINE_JOB);
    expect(definitions).toEqual([expect.objectContaining({ name: "SANDBOX_PROVIDER", choices: ["local"] })]);
    expect(await readSandboxOptions(fx.viewer)).toEqual({ providers: ["local"], images: false });
  });

  it("should offer docker and the image for the job jenkins-jobs/ renders", async () => {
    const rendered = (await renderJobs(path.join(REPO_ROOT, "jenkins-jobs"))).find((j) => j.name === PIPELINE_JOB)!;
    await fx.admin.updateJobConfig(PIPELINE_JOB, rendered.xml);
    const definitions = await fx.viewer.getJobParameterDefinitions(PIPELINE_JOB);
    expect(definitions.find((d) => d.name === "SANDBOX_PROVIDER")?.choices).toEqual(["local", "docker"]);
    expect(definitions.find((d) => d.name === "MATCH_ENGINE_VERSION")?.choices).toEqual(["false", "true"]);
    expect(await readSandboxOptions(fx.viewer)).toEqual({ providers: ["local", "docker"], images: true });
  });
});
