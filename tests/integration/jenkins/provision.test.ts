import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { canonicalXml } from "@/tools/jenkins/normalize-xml";
import { renderJobs } from "@/tools/jenkins/render-jobs";
import { freestyleJob, REPO_ROOT, runProvisionCommand, startAdapterFixture, type AdapterFixture } from "./support";

// `npm run jobs:provision` (tools/provision-jobs.ts) run as a real command
// against the emulator: real JJB render, REST create/update, drift handling.

jest.setTimeout(120_000);

const EXPECTED_JOBS = [
  "restore-drill-callback",
  "restore-drill-check",
  "restore-drill-decrypt",
  "restore-drill-decrypt-gpg",
  "restore-drill-deploy",
  "restore-drill-destroy",
  "restore-drill-pipeline",
  "restore-drill-pipeline-gpg",
  "restore-drill-restore",
  "restore-drill-restore-gpg",
  "restore-drill-sweep",
];

let fx: AdapterFixture;
let work: string;
beforeAll(async () => {
  fx = await startAdapterFixture();
  work = await fs.mkdtemp(path.join(os.tmpdir(), "provision-test-"));
});
afterAll(async () => {
  await fx?.emulator.cleanup();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const provision = (args: string[], env: Record<string, string> = {}) =>
  runProvisionCommand(args, {
    HOME: work,
    JENKINS_URL: fx.emulator.url,
    JENKINS_USER: "boss",
    JENKINS_API_TOKEN: fx.adminToken,
    JOBS_PROVISION_STATE_FILE: path.join(work, "state.json"),
    ...env,
  });

const all = (outcome: string) => Object.fromEntries(EXPECTED_JOBS.map((name) => [name, outcome]));

describe("jobs:provision", () => {
  const unmanaged = "hand-made-job";
  const unmanagedXml = freestyleJob({ command: "echo not ours", description: "made by hand" });
  const callbackSecret = "cb-secret-7f3a9c1e5d";

  it("should create every rendered job and the callback credential on the first run, and nothing else", async () => {
    await fx.admin.createJob(unmanaged, unmanagedXml);
    const before = await fx.admin.getJobConfig(unmanaged);

    const run = await provision([], { RESTORE_DRILL_CALLBACK_SECRET: callbackSecret });
    expect(run.stderr).not.toMatch(/jobs:provision:/);
    expect(run.code).toBe(0);
    expect(run.outcomes).toEqual(all("created"));
    expect(run.callbackCredential).toBe("created");
    expect(`${run.stdout}${run.stderr}`).not.toContain(callbackSecret);
    expect(`${run.stdout}${run.stderr}`).not.toContain(fx.adminToken);

    for (const name of EXPECTED_JOBS) expect(await fx.admin.jobExists(name)).toBe(true);
    expect(await fx.admin.getCredential("restore-drill-callback")).toMatchObject({ kind: "secret-text" });
    expect(await fx.admin.getJobConfig(unmanaged)).toBe(before);
  });

  it("should find everything unchanged on the second run", async () => {
    const run = await provision([]);
    expect(run.code).toBe(0);
    expect(run.outcomes).toEqual(all("unchanged"));
    expect(run.callbackCredential).toBe("present");
  });

  it("should not mistake Jenkins' re-serialisation for drift", async () => {
    const name = "restore-drill-destroy";
    const current = await fx.admin.getJobConfig(name);
    // What Jenkins does to a posted config: 1.1 declaration, plugin= attributes, other indentation and escaping.
    const reserialised = current
      .replace(/^<\?xml[^>]*\?>/, "<?xml version='1.1' encoding='UTF-8'?>")
      .replace("<project>", '<project plugin="some-plugin@1.2.3">')
      .replace(/\n\s+</g, "\n    <")
      .replace(/&quot;/g, '"');
    expect(reserialised).not.toBe(current);
    await fx.admin.updateJobConfig(name, reserialised);

    const run = await provision([]);
    expect(run.code).toBe(0);
    expect(run.outcomes[name]).toBe("unchanged");
  });

  it("should report a job edited in Jenkins as drifted and leave it alone, until --force", async () => {
    const name = "restore-drill-restore";
    const edited = (await fx.admin.getJobConfig(name)).replace(
      "<concurrentBuild>true</concurrentBuild>",
      "<concurrentBuild>false</concurrentBuild>",
    );
    expect(edited).toContain("<concurrentBuild>false</concurrentBuild>");
    await fx.admin.updateJobConfig(name, edited);

    const drifted = await provision([]);
    expect(drifted.code).toBe(3);
    expect(drifted.outcomes).toEqual({ ...all("unchanged"), [name]: "drifted" });
    expect(await fx.admin.getJobConfig(name)).toContain("<concurrentBuild>false</concurrentBuild>");

    const forced = await provision(["--force"]);
    expect(forced.code).toBe(0);
    expect(forced.outcomes).toEqual({ ...all("unchanged"), [name]: "updated" });
    const rendered = (await renderJobs(path.join(REPO_ROOT, "jenkins-jobs"))).find((job) => job.name === name);
    expect(canonicalXml(await fx.admin.getJobConfig(name))).toBe(canonicalXml(rendered?.xml ?? ""));

    expect((await provision([])).outcomes).toEqual(all("unchanged"));
  });

  it("should update (not flag) jobs whose YAML changed since the last run", async () => {
    // A copy of the repo's jobs with one edit, as a developer's change would be.
    const copy = path.join(work, "repo-copy");
    await fs.cp(path.join(REPO_ROOT, "jenkins-jobs"), path.join(copy, "jenkins-jobs"), { recursive: true });
    await fs.cp(path.join(REPO_ROOT, "scripts"), path.join(copy, "scripts"), { recursive: true });
    const projects = path.join(copy, "jenkins-jobs", "restore-drill.yaml");
    const yaml = await fs.readFile(projects, "utf8");
    const changed = yaml.replace(
      "description: Stop the sandbox and remove RUN_DIR. Idempotent.",
      "description: Stop the sandbox and remove RUN_DIR (changed).",
    );
    expect(changed).not.toBe(yaml);
    await fs.writeFile(projects, changed);

    const run = await provision(["--jobs-dir", path.join(copy, "jenkins-jobs")]);
    expect(run.code).toBe(0);
    expect(run.outcomes).toEqual({ ...all("unchanged"), "restore-drill-destroy": "updated" });
    expect((await fx.admin.getJob("restore-drill-destroy")).description).toContain("(changed)");

    // Back to the repo's YAML: Jenkins still holds what we left, so this is an update too.
    const back = await provision([]);
    expect(back.outcomes).toEqual({ ...all("unchanged"), "restore-drill-destroy": "updated" });
  });

  it("should treat a differing job with no provisioning record as drifted", async () => {
    const name = "restore-drill-deploy";
    await fx.admin.updateJobConfig(name, (await fx.admin.getJobConfig(name)).replace("<description>", "<description>hand edit: "));
    const run = await provision([], { JOBS_PROVISION_STATE_FILE: path.join(work, "fresh-state.json") });
    expect(run.code).toBe(3);
    expect(run.outcomes[name]).toBe("drifted");
    expect(run.outcomes["restore-drill-restore"]).toBe("unchanged");
    // Restore for later tests.
    expect((await provision(["--force"])).outcomes[name]).toBe("updated");
  });

  it("should never touch the job it does not manage", async () => {
    expect(await fx.admin.getJobConfig(unmanaged)).toContain("echo not ours");
    expect((await fx.admin.getJob(unmanaged)).description).toBe("made by hand");
    expect((await fx.admin.listBuilds(unmanaged)).length).toBe(0);
  });

  it("should exit non-zero with a clear message when Jenkins is unreachable or the token is wrong", async () => {
    const unreachable = await provision([], { JENKINS_URL: "http://127.0.0.1:9/", JENKINS_TIMEOUT_MS: "1000" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Cannot reach Jenkins.*JENKINS_URL/);

    const wrongToken = await provision([], { JENKINS_API_TOKEN: "definitely-wrong-token" });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/refused JENKINS_USER \/ JENKINS_API_TOKEN/);
    expect(wrongToken.stderr).not.toContain("definitely-wrong-token");

    const missing = await provision([], { JENKINS_URL: "" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/JENKINS_URL is not set/);
  });
});
