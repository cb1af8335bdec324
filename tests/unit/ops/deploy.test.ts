import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Ajv from "ajv";
import yaml from "js-yaml";
import { DEFAULT_THROTTLE_CATEGORIES } from "@/emulator/src/options";

// deploy/ is checked statically: no Docker engine and no Jenkins run here. The Compose file
// against the Compose specification's own schema (vendored, see fixtures/README.md), the JCasC
// keys against what the plugins accept (a checked list, each entry citing the source that
// accepts it), every image pinned, every secret from the env file, the agent's packages.

const read = (file: string) => fs.readFileSync(file, "utf8");
const compose = yaml.load(read("deploy/compose.yaml")) as { services: Record<string, Service> };
const casc = yaml.load(read("deploy/jenkins/casc.yaml")) as Record<string, unknown>;
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
  volumes?: string[];
}

function validateCompose(document: unknown): string[] {
  const schema = JSON.parse(read("tests/unit/ops/fixtures/compose-spec.json")) as Record<string, unknown>;
  delete schema.$schema; // draft-07, Ajv's default; the https spelling is not a registered meta-schema id
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

describe("deploy/compose.yaml", () => {
  it("should follow the Compose specification's schema (and the check should be able to fail)", () => {
    expect(validateCompose(compose)).toEqual([]);
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.jenkins!.restart = ["always"];
    broken.services.portal!.healthcheck = { test: ["CMD", "true"], intervall: "5s" };
    expect(validateCompose(broken).length).toBeGreaterThanOrEqual(2);
  });

  it("should run Jenkins, the agent, the jobs loader, PostgreSQL, the portal and a mail catcher, with healthchecks and volumes", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["agent", "jenkins", "jobs", "mail", "portal", "postgres"]);
    for (const name of ["jenkins", "agent", "postgres", "portal", "mail"]) expect(compose.services[name]!.healthcheck?.test).toBeDefined();
    const volumes = (name: string) => (compose.services[name]!.volumes ?? []).map((v) => v.split(":")[1]);
    expect(volumes("jenkins")).toContain("/var/jenkins_home");
    expect(volumes("postgres")).toContain("/var/lib/postgresql/data");
    expect(volumes("portal")).toContain("/data");
    expect(volumes("agent")).toContain("/home/jenkins/agent");
    expect(compose.services.portal!.build).toEqual({ context: "..", dockerfile: "Dockerfile" });
    expect(compose.services.portal!.environment).toMatchObject({
      JENKINS_USER: "restore-drill-portal",
      DATABASE_URL: expect.stringMatching(/^postgresql:\/\/.*@postgres:5432\//),
    });
  });
});

describe("images", () => {
  const dockerfiles = ["deploy/jenkins/Dockerfile", "deploy/agent/Dockerfile"];
  const froms = dockerfiles.flatMap((file) => [...read(file).matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!));
  const pinned = /^[\w./-]+:(?!latest$|lts$|lts-jdk\d+$|jdk\d+$)[\w-]*\d+\.\w[\w.-]*$/;

  it("should pin every base and every pulled image to a version", () => {
    expect(froms).toEqual(["jenkins/jenkins:2.568.2-lts-jdk21", "jenkins/inbound-agent:3355.v388858a_47b_33-5-jdk21"]);
    const pulled = Object.values(compose.services)
      .filter((s) => !s.build && s.image)
      .map((s) => s.image!);
    expect(pulled.sort()).toEqual(["axllent/mailpit:v1.27.0", "postgres:17.6-bookworm"]);
    for (const image of [...froms, ...pulled]) expect(image).toMatch(pinned);
    for (const service of Object.values(compose.services)) expect(service.image ?? "").not.toMatch(/:latest$|^[^:]+$/);
  });

  it("should install the agent packages jenkins-jobs/README.md lists, plus the docker CLI and JJB", () => {
    const listed = /- Agent packages: ([\s\S]*?)\.\n/.exec(read("jenkins-jobs/README.md"))![1]!;
    const packages = [...listed.replace(/\([^)]*\)/g, "").matchAll(/[a-z0-9][a-z0-9+.-]*/g)].map((m) => m[0]).filter((p) => p !== "and");
    expect(packages).toEqual(expect.arrayContaining(["bash", "jq", "mariadb-server", "postgresql-contrib", "sqlite3", "util-linux"]));
    const install = /apt-get install -y --no-install-recommends \\\n([\s\S]*?)\s*\\\n \&\&/
      .exec(read("deploy/agent/Dockerfile"))![1]!
      .split(/[\s\\]+/)
      .filter(Boolean);
    for (const p of packages) expect(install).toContain(p);
    expect(install).toContain("docker-cli");
    expect(read("deploy/agent/Dockerfile")).toMatch(/jenkins-job-builder==3\.11\.0/);
  });

  it("should pin the plugins, the same ones the jobs need plus JCasC and matrix-auth", () => {
    const lines = read("deploy/jenkins/plugins.txt")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    for (const line of lines) expect(line).toMatch(/^[a-z-]+:[\w.-]+$/);
    const ids = lines.map((l) => l.split(":")[0]);
    const jobPlugins = read("jenkins-jobs/plugins.txt")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    expect(ids.sort()).toEqual([...jobPlugins, "configuration-as-code", "matrix-auth"].sort());
  });
});

describe("secrets", () => {
  const envExample = read("deploy/.env.example");
  const exampleKeys = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({ key: m[1]!, value: m[2]! }));
  const composeText = read("deploy/compose.yaml");
  const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));

  it("should take every interpolated value from the env file, and the env file should hold nothing unused or filled in", () => {
    expect([...interpolated].sort()).toEqual(exampleKeys.map((e) => e.key).sort());
    for (const { key, value } of exampleKeys) if (/PASSWORD|TOKEN|SECRET/.test(key)) expect(value).toBe("");
  });

  it("should never commit deploy/.env", () => {
    expect(read("deploy/.gitignore").split("\n")).toContain(".env");
    const tracked = execFileSync("git", ["ls-files", "deploy"], { encoding: "utf8" }).split("\n");
    expect(tracked).not.toContain("deploy/.env");
  });

  it("should hand Jenkins every variable its configuration reads, and write no secret literally", () => {
    const jenkinsEnv = Object.keys(compose.services.jenkins!.environment ?? {});
    const cascVars = [
      ...read("deploy/jenkins/casc.yaml")
        .replace(/^\s*#.*$/gm, "")
        .matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g),
    ].map((m) => m[1]!);
    const groovyVars = [...read("deploy/jenkins/init.groovy.d/api-tokens.groovy").matchAll(/getenv\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]!);
    expect(groovyVars.length).toBe(2);
    for (const v of [...cascVars, ...groovyVars]) expect(jenkinsEnv).toContain(v);
    for (const [key, value] of Object.entries(compose.services).flatMap(([, s]) => Object.entries(s.environment ?? {}))) {
      if (/PASSWORD|TOKEN|SECRET/.test(key)) expect(value).toMatch(/^\$\{[A-Z0-9_]+:\?[^}]+\}$/);
    }
  });
});

// JCasC: each allowed key path, with where the plugin (or core) accepts it. Paths use "[]" for
// list items. Core = jenkinsci/jenkins at tag jenkins-2.568.2.
const ACCEPTED: Record<string, string> = {
  "jenkins.systemMessage": "core Jenkins.java:1709 setSystemMessage",
  "jenkins.numExecutors": "core Jenkins.java:3003 setNumExecutors",
  "jenkins.mode": "core Jenkins.java:3292 setMode",
  "jenkins.securityRealm.local.allowsSignup": 'core HudsonPrivateSecurityRealm.java:139 (@Symbol("local") at :1140)',
  "jenkins.securityRealm.local.users[].id":
    'configuration-as-code HudsonPrivateSecurityRealmConfigurator.java:43 "users", UserWithPassword(id, password) :118',
  "jenkins.securityRealm.local.users[].password": "configuration-as-code HudsonPrivateSecurityRealmConfigurator.java:118",
  "jenkins.securityRealm.local.users[].name": "configuration-as-code HudsonPrivateSecurityRealmConfigurator.java:124 setName",
  "jenkins.authorizationStrategy.globalMatrix.entries[].user.name":
    'matrix-auth GlobalMatrixAuthorizationStrategyConfigurator.java:44 "globalMatrix", MatrixAuthorizationStrategyConfigurator.java:63 "entries", AuthorizationProperty.java:222 @Symbol("user")',
  "jenkins.authorizationStrategy.globalMatrix.entries[].user.permissions[]":
    'matrix-auth MatrixAuthorizationStrategyConfigurator.java:68 "permissions"',
  "jenkins.crumbIssuer.standard.excludeClientIPFromCrumb": 'core DefaultCrumbIssuer.java:66 (@Symbol("standard") at :136)',
  "jenkins.nodes[].permanent.name": 'core DumbSlave.java:73 @DataBoundConstructor(name, remoteFS, launcher), @Symbol("permanent") :78',
  "jenkins.nodes[].permanent.remoteFS": "core DumbSlave.java:73",
  "jenkins.nodes[].permanent.labelString": "core Slave.java:366 setLabelString",
  "jenkins.nodes[].permanent.numExecutors": "core Slave.java:303 setNumExecutors",
  "jenkins.nodes[].permanent.mode": "core Slave.java:313 setMode",
  "jenkins.nodes[].permanent.retentionStrategy": 'core Slave.java:338 setRetentionStrategy; RetentionStrategy.java:177 @Symbol("always")',
  "jenkins.nodes[].permanent.launcher.inbound.webSocket": 'core JNLPLauncher.java:163 setWebSocket (@Symbol({"inbound", "jnlp"}) at :267)',
  "jenkins.nodes[].permanent.launcher.inbound.workDirSettings.disabled":
    "core JNLPLauncher.java:143 setWorkDirSettings, RemotingWorkDirSettings.java:62",
  "jenkins.nodes[].permanent.launcher.inbound.workDirSettings.failIfWorkDirIsMissing": "core RemotingWorkDirSettings.java:62",
  "jenkins.nodes[].permanent.launcher.inbound.workDirSettings.internalDir": "core RemotingWorkDirSettings.java:62",
  "unclassified.location.url": 'core JenkinsLocationConfiguration.java:138 setUrl (@Symbol("location") at :36)',
  "unclassified.location.adminAddress": "core JenkinsLocationConfiguration.java:123 setAdminAddress",
  "unclassified.mailer.defaultSuffix":
    'mailer Mailer.java:541 setDefaultSuffix; key "mailer" as in the plugin\'s src/test/resources/jenkins/plugins/mailer/configuration-as-code.yaml',
  "unclassified.mailer.replyToAddress": "mailer Mailer.java:346",
  "unclassified.mailer.smtpHost": "mailer Mailer.java:567",
  "unclassified.mailer.useSsl": "mailer Mailer.java:573",
  "unclassified.mailer.useTls": "mailer Mailer.java:579",
  "unclassified.mailer.smtpPort": "mailer Mailer.java:585",
  "unclassified.mailer.charset": "mailer Mailer.java:591",
  "unclassified.throttleJobProperty.categories[].categoryName":
    'throttle-concurrents ThrottleJobProperty.java:382 @Symbol("throttleJobProperty"), :478 setCategories, ThrottleCategory :675 @DataBoundConstructor(categoryName, maxConcurrentPerNode, maxConcurrentTotal, nodeLabeledPairs)',
  "unclassified.throttleJobProperty.categories[].maxConcurrentPerNode": "throttle-concurrents ThrottleJobProperty.java:675",
  "unclassified.throttleJobProperty.categories[].maxConcurrentTotal": "throttle-concurrents ThrottleJobProperty.java:675",
  "credentials.system.domainCredentials[].credentials[].string.scope":
    'plain-credentials StringCredentialsImpl.java:45 @DataBoundConstructor(scope, id, description, secret); "string" = class name less "CredentialsImpl" (configuration-as-code DescribableAttribute.java:63-66); credentials CredentialsRootConfigurator.java:64',
  "credentials.system.domainCredentials[].credentials[].string.id": "plain-credentials StringCredentialsImpl.java:45",
  "credentials.system.domainCredentials[].credentials[].string.description": "plain-credentials StringCredentialsImpl.java:45",
  "credentials.system.domainCredentials[].credentials[].string.secret": "plain-credentials StringCredentialsImpl.java:45",
};

/** Permission ids matrix-auth resolves ("Group/Name", PermissionFinder), limited to the ones used here. */
const KNOWN_PERMISSIONS = new Set([
  "Overall/Administer",
  "Overall/Read",
  "Job/Read",
  "Job/Build",
  "Job/Cancel",
  "Job/Create",
  "Job/Configure",
  "Job/Delete",
  "Credentials/View",
  "Credentials/Create",
  "Credentials/Update",
  "Credentials/Delete",
  "Agent/Connect",
]);

function leafPaths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => leafPaths(v, `${prefix}[]`));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

describe("deploy/jenkins/casc.yaml", () => {
  it("should use only keys the named plugins accept", () => {
    const used = [...new Set(leafPaths(casc, ""))];
    expect(used.filter((p) => !(p in ACCEPTED))).toEqual([]);
    // the check can fail: a misspelt key is caught
    expect(leafPaths({ jenkins: { securityRealm: { local: { allowSignup: false } } } }, "").filter((p) => !(p in ACCEPTED))).toEqual([
      "jenkins.securityRealm.local.allowSignup",
    ]);
  });

  it("should grant the portal's user exactly the permissions README.md lists, and the agent user only Agent/Connect", () => {
    type Entry = { user: { name: string; permissions: string[] } };
    const entries = (
      casc.jenkins as { authorizationStrategy: { globalMatrix: { entries: Entry[] } } }
    ).authorizationStrategy.globalMatrix.entries.map((e) => e.user);
    for (const e of entries) for (const p of e.permissions) expect(KNOWN_PERMISSIONS).toContain(p);
    const readme = /\*\*A user for the portal\*\*([\s\S]*?)\n4\./.exec(read("README.md"))![1]!;
    const listed = [...readme.matchAll(/\b(Overall|Job|Credentials|Agent)\/[A-Za-z]+/g)].map((m) => m[0]);
    expect(listed.length).toBeGreaterThanOrEqual(8);
    expect(entries.find((e) => e.name === "restore-drill-portal")!.permissions.sort()).toEqual([...new Set(listed)].sort());
    expect(entries.find((e) => e.name === "restore-drill-agent")!.permissions.sort()).toEqual(["Agent/Connect", "Overall/Read"]);
  });

  it("should define the throttle category the pipeline jobs name, as the emulator runs it by default", () => {
    type Category = { categoryName: string; maxConcurrentPerNode: number; maxConcurrentTotal: number };
    const categories = (casc.unclassified as { throttleJobProperty: { categories: Category[] } }).throttleJobProperty.categories;
    expect(
      categories.map((c) => ({
        name: c.categoryName,
        maxConcurrentPerNode: c.maxConcurrentPerNode,
        maxConcurrentTotal: c.maxConcurrentTotal,
      })),
    ).toEqual(DEFAULT_THROTTLE_CATEGORIES);
    const named = [...read("jenkins-jobs/restore-drill.yaml").matchAll(/option: category\n\s+categories:\n\s+- (\S+)/g)].map((m) => m[1]);
    expect(named).toEqual(categories.map((c) => c.categoryName));
  });

  it("should define the restore-drill agent and the restore-drill-callback credential from a secret", () => {
    const nodes = (casc.jenkins as { nodes: Array<{ permanent: { name: string; labelString: string } }> }).nodes;
    expect(nodes.map((n) => n.permanent)).toEqual([expect.objectContaining({ name: "restore-drill", labelString: "restore-drill" })]);
    const credentials = (
      casc.credentials as { system: { domainCredentials: Array<{ credentials: Array<{ string: { id: string; secret: string } }> }> } }
    ).system.domainCredentials[0]!.credentials;
    expect(credentials.map((c) => c.string)).toEqual([
      expect.objectContaining({ id: "restore-drill-callback", secret: "${RESTORE_DRILL_CALLBACK_SECRET}" }),
    ]);
  });
});
