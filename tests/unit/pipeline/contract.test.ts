/**
 * The pipeline-parameter table (lib/pipeline/parameters.ts) against what Jenkins and the job
 * scripts declare: a parameter, database type or sandbox provider added on one side and not the
 * other fails here.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CORE_SCHEMA, defineSequenceTag, load } from "js-yaml";

import { DB_TYPES } from "@/lib/pipeline/database-types";
import {
  PIPELINE_PARAMETERS,
  PORTAL_BUILD_PARAMETERS,
  RUN_PARAMETERS,
  SCHEDULE_PARAMETERS,
  templateVariableOf,
  type PipelineParameter,
} from "@/lib/pipeline/parameters";
import { SANDBOX_PROVIDERS } from "@/lib/pipeline/sandbox-providers";
import { VERDICTS } from "@/lib/runs/status";
import { RUN_NOW_CLICK_PARAMETER } from "@/lib/schedules/job-xml";

const ROOT = path.resolve(__dirname, "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
// JJB's `!include-raw-escape: [files]` (the job scripts): kept as the list of files.
const includeTag = defineSequenceTag<string[]>("!include-raw-escape:", {
  create: () => [],
  addItem: (files, item) => void files.push(String(item)),
  identify: () => false,
});
const JJB_SCHEMA = CORE_SCHEMA.withTags(includeTag);
const loadYaml = (file: string) => load(read(file), { schema: JJB_SCHEMA }) as Record<string, Record<string, unknown>>[];

/** One declared Jenkins parameter: its JJB kind (string, choice, credentials) and its settings. */
interface Declared {
  kind: string;
  name: string;
  default?: unknown;
  choices?: unknown[];
  type?: string;
  required?: boolean;
  description?: string;
}

const macros = new Map<string, unknown[]>();
for (const entry of loadYaml("jenkins-jobs/macros.yaml")) {
  const macro = entry.parameter as { name: string; parameters: unknown[] } | undefined;
  if (macro) macros.set(macro.name, macro.parameters);
}

/** A job template's parameters with the macros expanded, in the order Jenkins shows them. */
function expand(parameters: unknown[]): Declared[] {
  return parameters.flatMap((p): Declared[] => {
    if (typeof p === "string") {
      const body = macros.get(p);
      if (!body) throw new Error(`unknown parameter macro ${p}`);
      return expand(body);
    }
    const [kind, settings] = Object.entries(p as Record<string, Omit<Declared, "kind">>)[0]!;
    return [{ kind, ...settings }];
  });
}

function template(file: string, name: string): Declared[] {
  const found = loadYaml(file)
    .map((e) => e["job-template"] as { name: string; parameters: unknown[] } | undefined)
    .find((t) => t?.name === name);
  if (!found) throw new Error(`no job template ${name} in ${file}`);
  return expand(found.parameters);
}

function expectDeclaredAs(declared: Declared, row: PipelineParameter) {
  expect({ name: declared.name, kind: declared.kind }).toEqual({ name: row.jenkins, kind: row.declaration.kind });
  if (row.declaration.kind === "credentials") {
    expect({ type: declared.type, required: declared.required }).toEqual({
      type: row.declaration.jjbType,
      required: row.declaration.required,
    });
  }
}

/** A template value as the `- project:` of jenkins-jobs/projects.yaml fills it in. */
function projectValue(text: string): string {
  const project = loadYaml("jenkins-jobs/projects.yaml")[0]!.project as Record<string, unknown>;
  return text.replace(/\{([a-z-]+)\}/g, (all, name: string) => (name in project ? String(project[name]) : all));
}

describe("the pipeline jobs (jenkins-jobs/restore-drill.yaml with macros.yaml)", () => {
  const declared = template("jenkins-jobs/restore-drill.yaml", "{name}-pipeline{variant}");
  const user = declared.filter((d) => !(PORTAL_BUILD_PARAMETERS as readonly string[]).includes(d.name));

  it("should declare the table's run parameters, in its order, plus the portal's own", () => {
    expect(user.map((d) => d.name)).toEqual(RUN_PARAMETERS.map((r) => r.jenkins));
    expect(declared.map((d) => d.name).filter((n) => !user.some((u) => u.name === n))).toEqual([...PORTAL_BUILD_PARAMETERS]);
  });

  it.each(RUN_PARAMETERS.map((r) => [r.jenkins, r] as const))("should declare %s as the table says", (name, row) => {
    const d = user.find((u) => u.name === name)!;
    expectDeclaredAs(d, row);
    if (d.kind === "choice") {
      // A choice's default is its first choice.
      if (row.jenkinsDefault !== "") expect(d.choices?.[0]).toBe(row.jenkinsDefault);
    } else {
      expect(projectValue(String(d.default))).toBe(row.jenkinsDefault);
    }
  });

  it("should offer exactly the database types and sandbox providers of the lists", () => {
    expect(user.find((d) => d.name === "DB_TYPE")?.choices).toEqual([...DB_TYPES]);
    expect(user.find((d) => d.name === "SANDBOX_PROVIDER")?.choices).toEqual([...SANDBOX_PROVIDERS]);
  });
});

describe("a schedule's job (jenkins-jobs/schedule.yaml)", () => {
  const declared = template("jenkins-jobs/schedule.yaml", "restore-drill-schedule-{slug}");

  it("should carry the table's schedule parameters, in its order, each defaulting to its template variable", () => {
    expect(declared.map((d) => d.name)).toEqual([...SCHEDULE_PARAMETERS.map((r) => r.jenkins), RUN_NOW_CLICK_PARAMETER.name]);
    for (const row of SCHEDULE_PARAMETERS) {
      const d = declared.find((x) => x.name === row.jenkins)!;
      expectDeclaredAs(d, row);
      expect(d.description).toBe(row.scheduleJobDescription);
      const variable = `{${templateVariableOf(row.key)}}`;
      expect(d.kind === "choice" ? d.choices : d.default).toEqual(d.kind === "choice" ? [variable] : variable);
    }
  });

  it("should end with the per-click parameter, empty by default so timer builds leave it empty", () => {
    const click = declared.at(-1)!;
    expect(click).toMatchObject({ kind: "string", name: RUN_NOW_CLICK_PARAMETER.name, description: RUN_NOW_CLICK_PARAMETER.description });
    expect(click.default).toBe("");
  });
});

describe("the scripts' validation (scripts/pipeline-start.sh, scripts/lib/common.sh)", () => {
  const start = read("scripts/pipeline-start.sh");

  it("should list and check every build parameter of the table in the validate step", () => {
    const header = /# Env \(build parameters\):([\s\S]*?);/.exec(start)?.[1] ?? "";
    const listed = header.split(/[\s,#]+/).filter(Boolean);
    expect(listed.sort()).toEqual([...RUN_PARAMETERS.map((r) => r.jenkins), ...PORTAL_BUILD_PARAMETERS].sort());
    const main = start.slice(start.indexOf("main() {"));
    for (const row of RUN_PARAMETERS) expect(main).toContain(`\${${row.jenkins}:-`);
  });

  /** Runs one of common.sh's validators; its reason code when it refuses, else "OK". */
  function validate(fn: string, value: string): string {
    const r = spawnSync("bash", ["-c", 'source "$0"; "$1" "$2"', path.join(ROOT, "scripts/lib/common.sh"), fn, value], {
      encoding: "utf8",
    });
    if (r.status === 0) return "OK";
    return /RESTORE_DRILL_REASON=(\w+)/.exec(r.stderr)?.[1] ?? `exit ${r.status}: ${r.stderr}`;
  }

  /** The values the validator's first `case` arm accepts. */
  function accepted(fn: string): string[] {
    const common = read("scripts/lib/common.sh");
    const body = common.slice(common.indexOf(`${fn}() {`));
    return /case "\$1" in\s*\n\s*([^)]*)\)/
      .exec(body)![1]!
      .split("|")
      .map((s) => s.trim());
  }

  it.each([
    ["rd_require_db_type", DB_TYPES, "INVALID_DB_TYPE"],
    ["rd_require_provider", SANDBOX_PROVIDERS, "INVALID_PROVIDER"],
  ] as const)("%s should accept exactly the list", (fn, list, refusal) => {
    expect(accepted(fn)).toEqual([...list]);
    for (const value of list) expect(validate(fn, value)).toBe("OK");
    expect(validate(fn, "not-a-real-one")).toBe(refusal);
  });
});

describe("the restore report's schema (jenkins-jobs/restore-report.schema.json)", () => {
  it("should allow the listed verdicts, database types and providers only", () => {
    const schema = JSON.parse(read("jenkins-jobs/restore-report.schema.json")) as {
      properties: {
        verdict: { enum: unknown[] };
        backup: { properties: { dbType: { enum: unknown[] } } };
        sandbox: { properties: { provider: { enum: unknown[] } } };
      };
    };
    expect(schema.properties.verdict.enum).toEqual([...VERDICTS]);
    expect(schema.properties.backup.properties.dbType.enum).toEqual([null, ...DB_TYPES]);
    expect(schema.properties.sandbox.properties.provider.enum).toEqual([null, ...SANDBOX_PROVIDERS]);
  });
});

describe("the table", () => {
  it("should name each form field and each Jenkins parameter once", () => {
    const keys = PIPELINE_PARAMETERS.map((r) => r.key);
    const names = PIPELINE_PARAMETERS.map((r) => r.jenkins);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(PORTAL_BUILD_PARAMETERS).not.toContain(name);
  });
});
