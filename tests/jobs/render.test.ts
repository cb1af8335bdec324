/**
 * The JJB definitions render with Debian's jenkins-job-builder and the XML
 * carries what the pipeline relies on: parameters, credential bindings,
 * blocking same-node triggers, the always-destroy, the mailer and
 * self-contained (included) shell steps, which are shellcheck-clean.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

import { makeTempDir, removeDir, run } from "@/tests/support/servers/process";
import { asArray, at, renderJobs, type RenderedJobs, type XmlNode } from "./helpers/render";
import {
  BINDINGS,
  CREDENTIALS_PARAMETER,
  CURRENT_PARAMETERS,
  PREDEFINED_PARAMETERS,
  TRIGGER,
  credentialParametersOf,
  parameterNamesOf,
  shellCommands,
  triggers,
} from "./helpers/rendered-xml";
import { SCRIPTS } from "./helpers/stages";

jest.setTimeout(60_000);

let rendered: RenderedJobs;

beforeAll(async () => {
  rendered = await renderJobs();
});

const STAGES = ["deploy", "decrypt", "decrypt-gpg", "restore", "restore-gpg", "destroy", "callback", "sweep", "check"];
const PIPELINES = ["restore-drill-pipeline", "restore-drill-pipeline-gpg"];
function job(name: string): XmlNode {
  const found = rendered.jobs[name];
  if (!found) throw new Error(`job ${name} was not rendered`);
  return found;
}

const parameterNames = (name: string) => parameterNamesOf(job(name));
const credentialParameters = (name: string) => credentialParametersOf(job(name));

describe("rendered Jenkins jobs", () => {
  it("should render exactly the stage jobs and both pipeline variants", () => {
    expect(Object.keys(rendered.jobs).sort()).toEqual([...STAGES.map((s) => `restore-drill-${s}`), ...PIPELINES].sort());
  });

  it("should keep every job freestyle, on the restore-drill label, without password parameters or credential ids as strings", () => {
    for (const [name, project] of Object.entries(rendered.jobs)) {
      expect({ name, node: project.assignedNode }).toEqual({ name, node: "restore-drill" });
      expect(rendered.xml[name]).toMatch(/^<\?xml[^>]*>\n<project>/);
      expect(rendered.xml[name]).not.toMatch(/PasswordParameterDefinition|flow-definition/);
      const kinds = parameterNames(name).map((p) => (p.endsWith("_CREDENTIAL_ID") ? p : (p.split(":")[0] ?? p)));
      expect({
        name,
        kinds: [...new Set(kinds)].filter(
          (k) => k !== "StringParameterDefinition" && k !== "ChoiceParameterDefinition" && !k.startsWith(`${CREDENTIALS_PARAMETER}:`),
        ),
      }).toEqual({ name, kinds: [] });
    }
  });

  it("should declare the credential ids as typed credentials parameters wherever they are bound or passed on", () => {
    const expected = [
      {
        name: "SSH_CREDENTIAL_ID",
        defaultValue: "",
        credentialType: "com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey",
        required: "true",
      },
      {
        name: "GPG_CREDENTIAL_ID",
        defaultValue: "",
        credentialType: "org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl",
        required: "false",
      },
    ];
    for (const name of [
      ...PIPELINES,
      "restore-drill-decrypt",
      "restore-drill-decrypt-gpg",
      "restore-drill-restore",
      "restore-drill-restore-gpg",
    ]) {
      const found = credentialParameters(name).map((d) => ({
        name: d.name,
        defaultValue: d.defaultValue,
        credentialType: d.credentialType,
        required: String(d.required),
      }));
      expect({ name, found }).toEqual({ name, found: expected });
    }
    for (const name of ["restore-drill-deploy", "restore-drill-destroy", "restore-drill-callback", "restore-drill-sweep"]) {
      expect({ name, found: credentialParameters(name) }).toEqual({ name, found: [] });
    }
  });

  it("should give the pipeline every documented parameter", () => {
    for (const name of PIPELINES) {
      expect(
        parameterNames(name)
          .map((p) => p.split(":")[1])
          .sort(),
      ).toEqual(
        [
          "BACKUP_HOST",
          "BACKUP_PORT",
          "BACKUP_PATH",
          "BACKUP_PATTERN",
          "BACKUP_TIME_ZONE",
          "MAX_BACKUP_AGE_HOURS",
          "BACKUP_HOST_KEY",
          "ALLOWED_PATH_PREFIXES",
          "SSH_CREDENTIAL_ID",
          "GPG_CREDENTIAL_ID",
          "DB_TYPE",
          "SANDBOX_PROVIDER",
          "SANDBOX_IMAGE",
          "MATCH_ENGINE_VERSION",
          "IMAGE_ALLOWLIST",
          "NOTIFY_EMAIL",
          "ASSERTIONS",
          "FRESHNESS_QUERY",
          "FRESHNESS_MAX_AGE_HOURS",
          "RUN_ID",
          "CALLBACK_URL",
          "SCHEDULE_NAME",
        ].sort(),
      );
    }
    const dbType = at(
      job("restore-drill-pipeline"),
      "properties",
      "hudson.model.ParametersDefinitionProperty",
      "parameterDefinitions",
      "hudson.model.ChoiceParameterDefinition",
    ) as XmlNode[];
    const choices = asArray(dbType).map((c) => [c.name, at(c, "choices", "a", "string")]);
    expect(choices).toEqual([
      ["DB_TYPE", ["mysql", "postgresql", "sqlite", "mongodb"]],
      ["SANDBOX_PROVIDER", ["local", "docker"]],
      ["MATCH_ENGINE_VERSION", ["false", "true"]],
    ]);
  });

  it("should bind secrets only through credentials-binding", () => {
    const ssh = at(job("restore-drill-decrypt"), ...BINDINGS, "org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding");
    expect(ssh).toEqual({
      keyFileVariable: "SSH_KEY_FILE",
      usernameVariable: "SSH_USER",
      passphraseVariable: "SSH_KEY_PASSPHRASE",
      credentialsId: "${SSH_CREDENTIAL_ID}",
    });
    expect(at(job("restore-drill-decrypt"), ...BINDINGS, "org.jenkinsci.plugins.credentialsbinding.impl.FileBinding")).toBeUndefined();
    expect(
      at(job("restore-drill-decrypt-gpg"), ...BINDINGS, "org.jenkinsci.plugins.credentialsbinding.impl.SSHUserPrivateKeyBinding"),
    ).toEqual(ssh);
    expect(at(job("restore-drill-decrypt-gpg"), ...BINDINGS, "org.jenkinsci.plugins.credentialsbinding.impl.FileBinding")).toEqual({
      variable: "GPG_KEY_FILE",
      credentialsId: "${GPG_CREDENTIAL_ID}",
    });
    // restore streams the backup again: the same bindings as decrypt, per variant.
    expect(at(job("restore-drill-restore"), ...BINDINGS)).toEqual(at(job("restore-drill-decrypt"), ...BINDINGS));
    expect(at(job("restore-drill-restore-gpg"), ...BINDINGS)).toEqual(at(job("restore-drill-decrypt-gpg"), ...BINDINGS));
    expect(at(job("restore-drill-callback"), ...BINDINGS, "org.jenkinsci.plugins.credentialsbinding.impl.StringBinding")).toEqual({
      variable: "CALLBACK_SECRET",
      credentialsId: "restore-drill-callback",
    });
    for (const name of ["restore-drill-deploy", "restore-drill-destroy", "restore-drill-sweep", ...PIPELINES])
      expect(at(job(name), ...BINDINGS)).toBeUndefined();
  });

  it.each([
    ["restore-drill-pipeline", "restore-drill-decrypt", "restore-drill-restore"],
    ["restore-drill-pipeline-gpg", "restore-drill-decrypt-gpg", "restore-drill-restore-gpg"],
  ])("should chain %s through blocking same-node triggers sharing one RUN_DIR", (pipeline, decryptJob, restoreJob) => {
    const builders = job(pipeline).builders as XmlNode;
    expect(Object.keys(builders)).toEqual(["hudson.tasks.Shell", TRIGGER]);
    expect(rendered.xml[pipeline]?.indexOf("<hudson.tasks.Shell>")).toBeLessThan(rendered.xml[pipeline]?.indexOf(`<${TRIGGER}>`) ?? 0);
    const chain = triggers(builders);
    expect(chain.map((t) => t.project)).toEqual([decryptJob, "restore-drill-deploy", restoreJob]);
    for (const t of chain) {
      expect(t.sameNode).toBe(true);
      expect(at(t.block, "buildStepFailureThreshold", "name")).toBe("FAILURE");
      expect(at(t.block, "failureThreshold", "name")).toBe("FAILURE");
      // The build's own values, typed (credentials stay CredentialsParameterValues), then RUN_DIR/REPORT_DIR on top.
      expect(t.sources).toEqual([CURRENT_PARAMETERS, PREDEFINED_PARAMETERS]);
      expect(t.properties).toEqual(["RUN_DIR=$WORKSPACE/restore-run-$BUILD_NUMBER", "REPORT_DIR=$WORKSPACE/restore-report"]);
    }
  });

  it("should destroy, report and call back after every build result", () => {
    for (const pipeline of PIPELINES) {
      const steps = at(
        job(pipeline),
        "publishers",
        "org.jenkinsci.plugins.postbuildscript.PostBuildScript",
        "config",
        "buildSteps",
        "org.jenkinsci.plugins.postbuildscript.model.PostBuildStep",
      ) as XmlNode[];
      expect(steps).toHaveLength(3);
      for (const step of steps) expect(at(step, "results", "string")).toEqual(["SUCCESS", "UNSTABLE", "FAILURE", "ABORTED", "NOT_BUILT"]);
      const [destroy, report, callback] = steps.map((s) => s.buildSteps);
      expect(triggers(destroy).map((t) => [t.project, t.sameNode, t.sources, t.properties])).toEqual([
        [
          "restore-drill-destroy",
          true,
          [PREDEFINED_PARAMETERS],
          ["RUN_DIR=$WORKSPACE/restore-run-$BUILD_NUMBER", "REPORT_DIR=$WORKSPACE/restore-report"],
        ],
      ]);
      expect(shellCommands(report)[0]).toContain("REPORT_PROGRAM=");
      const [callbackTrigger] = triggers(callback);
      expect(callbackTrigger?.project).toBe("restore-drill-callback");
      expect(callbackTrigger?.sources).toEqual([CURRENT_PARAMETERS, PREDEFINED_PARAMETERS]);
      expect(callbackTrigger?.properties).toEqual(["REPORT_DIR=$WORKSPACE/restore-report"]);
      // An empty <block/> waits but never fails the pipeline.
      expect(callbackTrigger?.block).toBe("");
    }
  });

  it("should archive the report and e-mail NOTIFY_EMAIL on failure", () => {
    for (const pipeline of PIPELINES) {
      const publishers = job(pipeline).publishers as XmlNode;
      expect(Object.keys(publishers)).toEqual([
        "org.jenkinsci.plugins.postbuildscript.PostBuildScript",
        "hudson.tasks.ArtifactArchiver",
        "hudson.tasks.Mailer",
      ]);
      expect(at(publishers, "hudson.tasks.ArtifactArchiver", "artifacts")).toBe("restore-report/restore-report.json");
      expect(at(publishers, "hudson.tasks.Mailer", "recipients")).toBe("$NOTIFY_EMAIL");
      expect(job(pipeline).concurrentBuild).toBe("true");
    }
  });

  it("should inline the prelude and the stage script in every shell step", async () => {
    const read = (file: string) => fs.readFile(path.join(SCRIPTS, file), "utf8");
    // Jobs that start, tear down or sweep sandboxes carry the sandbox life-cycle library (and the
    // docker provider's); those that stream the backup, the stream library with the dump-version
    // and MongoDB libraries it uses; decrypt also backup selection; restore also the data checks. A job's shell step has no files
    // beside it, so every library a script sources must be inlined ahead of it.
    const mongo = ["lib/mongo-container.sh", "lib/mongo.sh"];
    const stream = ["lib/dump-version.sh", ...mongo, "lib/stream.sh"];
    const expected: Record<string, string[]> = {
      "restore-drill-deploy": ["lib/sandbox.sh", "lib/engines.sh", "lib/container.sh", ...mongo, "deploy.sh"],
      "restore-drill-decrypt": [...stream, "lib/select.sh", "decrypt.sh"],
      "restore-drill-decrypt-gpg": [...stream, "lib/select.sh", "decrypt.sh"],
      "restore-drill-restore": [...stream, "lib/data-checks.sh", "restore.sh"],
      "restore-drill-restore-gpg": [...stream, "lib/data-checks.sh", "restore.sh"],
      "restore-drill-destroy": ["lib/sandbox.sh", "lib/container.sh", "destroy.sh"],
      "restore-drill-callback": ["callback.sh"],
      "restore-drill-sweep": ["lib/sandbox.sh", "lib/container.sh", "sweep.sh"],
      "restore-drill-check": [...stream, "lib/select.sh", "check.sh"],
    };
    for (const [name, files] of Object.entries(expected)) {
      const [command] = shellCommands(job(name).builders);
      // The parser trims the text node; JJB joins include-list files with a newline.
      const parts = await Promise.all(["lib/common.sh", ...files].map(read));
      expect({ name, command }).toEqual({ name, command: parts.join("\n").trim() });
    }
    for (const xml of Object.values(rendered.xml)) expect(xml).not.toContain("!include");
  });

  it("should extract shell steps that are shellcheck-clean", async () => {
    const dir = await makeTempDir("rdj-sc");
    try {
      const files: string[] = [];
      for (const [name, xml] of Object.entries(rendered.xml)) {
        const parsed = rendered.jobs[name];
        const commands = [...shellCommands(parsed?.builders)];
        const post = at(
          parsed,
          "publishers",
          "org.jenkinsci.plugins.postbuildscript.PostBuildScript",
          "config",
          "buildSteps",
          "org.jenkinsci.plugins.postbuildscript.model.PostBuildStep",
        ) as XmlNode[] | undefined;
        for (const step of asArray(post)) commands.push(...shellCommands(step.buildSteps));
        expect(xml.length).toBeGreaterThan(0);
        for (const [i, command] of commands.entries()) {
          expect(command.startsWith("#!/usr/bin/env bash\n")).toBe(true);
          const file = path.join(dir, `${name}-${i}.sh`);
          await fs.writeFile(file, command);
          files.push(file);
        }
      }
      // Seven stage jobs, the sweep, the connection check, plus validate and report in each pipeline variant.
      expect(files.length).toBe(13);
      // SC1091: the guarded `source lib/common.sh` is dead code once inlined.
      const result = await run("shellcheck", ["--exclude=SC1091", ...files]);
      expect(result.stdout).toBe("");
      expect(result.code).toBe(0);
    } finally {
      await removeDir(dir);
    }
  });
});
