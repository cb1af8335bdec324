import fs from "node:fs";
import { DockerfileParser, type Instruction } from "dockerfile-ast";

// No Docker engine runs here, so the image and the CI pipeline are checked statically.

const source = fs.readFileSync("Dockerfile", "utf8");
const dockerfile = DockerfileParser.parse(source);
const lines = source.split("\n");
const stages = dockerfile.getFROMs();
const runtimeStart = stages.at(-1)!.getRange().start.line;
const runtime = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= runtimeStart);
/** The instruction's whole text after its keyword, flags included, continuation lines joined. */
const args = (i: Instruction) => {
  const { start, end } = i.getRange();
  return lines
    .slice(start.line, end.line + 1)
    .join(" ")
    .replace(/\\\s+/g, " ")
    .replace(new RegExp(`^\\s*${i.getKeyword()}\\s+`, "i"), "");
};
const of = (list: Instruction[], keyword: string) => list.filter((i) => i.getKeyword() === keyword);

describe("the Dockerfile", () => {
  it("should build in several stages from a pinned Node 20 base", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const aliases = new Set(stages.map((f) => f.getBuildStage()).filter(Boolean));
    const bases = stages.filter((f) => !aliases.has(f.getImageName()));
    for (const from of bases) expect(`${from.getImageName()}:${from.getImageTag()}`).toMatch(/^node:20-/);
    expect(stages.at(-1)!.getImageName()).toBe("node");
  });

  it("should ship the Next.js standalone output, not the source tree", () => {
    const copies = of(runtime, "COPY").map(args);
    expect(copies.some((c) => c.includes("--from=build") && c.includes(".next/standalone"))).toBe(true);
    expect(copies.some((c) => c.includes(".next/static"))).toBe(true);
    expect(copies.some((c) => /COPY \. \./.test(`COPY ${c}`))).toBe(false);
    expect(fs.readFileSync("next.config.ts", "utf8")).toMatch(/output:\s*"standalone"/);
  });

  it("should run as a non-root user", () => {
    const users = of(runtime, "USER").map(args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("should apply migrations before the server starts", () => {
    const cmd = args(of(runtime, "CMD").at(-1)!);
    expect(cmd).toMatch(/migrate\.cjs.*&&.*server\.js/);
    const build = of(dockerfile.getInstructions(), "RUN").map(args).join("\n");
    expect(build).toMatch(/esbuild tools\/db\/migrate\.ts/);
    expect(
      of(runtime, "COPY")
        .map(args)
        .some((c) => c.includes("prisma/migrations")),
    ).toBe(true);
  });

  it("should keep SQLite on a volume and leave DATABASE_URL to the operator", () => {
    expect(of(runtime, "VOLUME").map(args).join(" ")).toContain("/data");
    const env = of(runtime, "ENV").map(args).join(" ");
    expect(env).toMatch(/DATA_DIR=\/data/);
    expect(env).not.toMatch(/DATABASE_URL|SECRET|TOKEN|PASSWORD/);
  });

  it("should keep secrets and local state out of the build context", () => {
    const ignored = fs.readFileSync(".dockerignore", "utf8").split("\n");
    for (const entry of ["node_modules", "data", ".env", ".git"]) expect(ignored).toContain(entry);
  });
});

describe("the Jenkinsfile", () => {
  const text = fs.readFileSync("Jenkinsfile", "utf8");
  const code = text.replace(/\/\/.*$/gm, "").replace(/'[^'\n]*'|"[^"\n]*"/g, "''");

  it("should be a declarative pipeline with balanced blocks", () => {
    expect(code.trim()).toMatch(/^pipeline\s*\{[\s\S]*\}$/);
    let depth = 0;
    for (const ch of code) {
      depth += ch === "{" ? 1 : ch === "}" ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it("should install, lint, typecheck, test and build the image, in that order", () => {
    const stages = [...text.matchAll(/stage\('([^']+)'\)/g)].map((m) => m[1]);
    expect(stages).toEqual(["Install", "Lint", "Typecheck", "Test", "Build image"]);
    expect(text).toMatch(/sh 'bash \.ci\/run'/);
    expect(text).toMatch(/docker build/);
  });
});
