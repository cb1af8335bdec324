/**
 * The data checks' grammar (lib/pipeline/data-checks.ts) at the form, and the pipeline's copy of
 * the same rules (scripts/lib/data-checks.sh): both must refuse and accept the same queries.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { freshnessQueryProblem, normaliseFreshnessQuery, parseAssertions } from "@/lib/pipeline/data-checks";
import { fieldErrorsOf } from "@/lib/actions/state";
import { runParametersSchema, scheduleParametersSchema } from "@/lib/pipeline/schemas";
import { scheduleInputSchema } from "@/lib/schedules/schema";

const ROOT = path.resolve(__dirname, "../../..");

const base = {
  backupHost: "db1.example.test",
  backupPath: "/backups/shop.sql",
  sshCredentialId: "ssh-1",
  dbType: "postgresql",
};

/** The first issue message of a field, or "OK". */
function formMessage(field: "freshnessQuery" | "assertions" | "freshnessMaxAgeHours", value: string): string {
  const r = scheduleParametersSchema.safeParse({ ...base, [field]: value });
  if (r.success) return "OK";
  const issue = r.error.issues.find((i) => i.path[0] === field);
  return issue ? issue.message : `other field: ${r.error.issues[0]?.path.join(".")}`;
}

/** What the pipeline's validate step says about FRESHNESS_QUERY: "OK" or its reason code. */
function pipelineVerdict(query: string): string {
  const script = `source "$1/scripts/lib/common.sh"; source "$1/scripts/lib/data-checks.sh"; rd_require_data_checks "" "$FRESHNESS_QUERY" 26`;
  const r = spawnSync("bash", ["-c", script, "bash", ROOT], { encoding: "utf8", env: { ...process.env, FRESHNESS_QUERY: query } });
  if (r.status === 0) return "OK";
  return /RESTORE_DRILL_REASON=(\w+)/.exec(r.stderr)?.[1] ?? `exit ${r.status}: ${r.stderr}`;
}

const GOOD = [
  "SELECT max(created_at) FROM orders",
  "select max(o.created_at)\n  from orders o\n  where o.status = 'paid';",
  "SELECT max(updated_at) FROM public.orders WHERE note <> 'delete me'",
];

const HOSTILE: [string, string, RegExp][] = [
  ["two statements", "SELECT 1; DELETE FROM orders", /One statement only/],
  ["UPDATE", "UPDATE orders SET total = 0", /must be one SELECT/],
  ["DELETE", "DELETE FROM orders", /must be one SELECT/],
  ["SELECT … FOR UPDATE", "SELECT max(created_at) FROM orders FOR UPDATE", /UPDATE is not/],
  ["INTO OUTFILE", "SELECT max(created_at) INTO OUTFILE '/tmp/x' FROM orders", /INTO is not/],
  ["a line comment hiding a statement", "SELECT max(created_at) FROM orders --\nDROP TABLE orders", /Comments/],
  ["a block comment", "SELECT /* x */ 1", /Comments/],
  ["a # comment", "SELECT 1 # x", /Comments/],
  ["a newline and a psql meta-command", "SELECT 1\n\\! touch /tmp/x", /may not contain/],
  ["shell syntax", "SELECT $(id)", /may not contain/],
  ["backticks", "SELECT `id`", /may not contain/],
  ["an unclosed quote", "SELECT 'x FROM t", /unclosed/],
  ["a control character", "SELECT 1\u0001", /control characters/],
];

describe("the freshness query at the form", () => {
  it.each(GOOD)("should accept %j, folded to one line", (query) => {
    expect(freshnessQueryProblem(normaliseFreshnessQuery(query))).toBeNull();
    expect(formMessage("freshnessQuery", query)).toBe("OK");
    const parsed = scheduleParametersSchema.parse({ ...base, freshnessQuery: query });
    expect(parsed.freshnessQuery).not.toMatch(/[\n;]$/);
    expect(parsed.freshnessQuery).not.toContain("\n");
  });

  it.each(HOSTILE)("should refuse %s with a sentence next to the field", (_, query, message) => {
    expect(formMessage("freshnessQuery", query)).toMatch(message);
  });

  it("should refuse a 1 MB query without folding it", () => {
    expect(formMessage("freshnessQuery", `SELECT '${"x".repeat(1024 * 1024)}'`)).toMatch(/under 2000 characters/);
    expect(formMessage("freshnessQuery", `SELECT '${"x".repeat(2100)}'`)).toMatch(/under 2000 characters/);
  });

  it("should be optional, and the run form should carry it too", () => {
    expect(scheduleParametersSchema.parse(base)).toMatchObject({ freshnessQuery: "", assertions: "", freshnessMaxAgeHours: 26 });
    expect(runParametersSchema.parse({ ...base, freshnessQuery: GOOD[0] }).freshnessQuery).toBe(GOOD[0]);
  });
});

describe("the pipeline's copy of the rules", () => {
  it.each(GOOD)("should accept %j as the form does", (query) => {
    expect(pipelineVerdict(query)).toBe("OK");
  });
  it.each(HOSTILE)("should refuse %s as the form does", (_, query) => {
    expect(pipelineVerdict(query)).toBe("INVALID_FRESHNESS_QUERY");
  });
});

describe("assertions", () => {
  it("should parse tables and minimum row counts, one per line or separated by commas", () => {
    expect(parseAssertions("orders >= 1000\ncustomers, public.invoices>0 ,\n\n audit = 0")).toEqual({
      assertions: [
        { text: "orders >= 1000", table: "orders", operator: ">=", count: 1000 },
        { text: "customers", table: "customers" },
        { text: "public.invoices > 0", table: "public.invoices", operator: ">", count: 0 },
        { text: "audit = 0", table: "audit", operator: "=", count: 0 },
      ],
    });
    expect(scheduleParametersSchema.parse({ ...base, assertions: "orders>=1000\ncustomers" }).assertions).toBe("orders >= 1000, customers");
  });

  it.each([
    ["orders >= many", /is not an assertion/],
    ["orders <= 10", /is not an assertion/],
    ["orders; DROP TABLE x", /is not an assertion/],
    ["a.b.c", /is not an assertion/],
    [Array.from({ length: 51 }, (_, i) => `t${i}`).join(","), /At most 50/],
  ])("should refuse %j with a clear message", (text, message) => {
    expect(formMessage("assertions", text)).toMatch(message);
  });

  it("should refuse a maximum data age outside 1 hour to a year", () => {
    expect(formMessage("freshnessMaxAgeHours", "0")).toMatch(/At least 1/);
    expect(formMessage("freshnessMaxAgeHours", "9000")).toMatch(/At most/);
    expect(formMessage("freshnessMaxAgeHours", "48")).toBe("OK");
  });
});

describe("the schedule form's answer", () => {
  it("should put the refusal next to the freshness query and the assertions fields, and nowhere else", () => {
    const r = scheduleInputSchema.safeParse({
      ...base,
      name: "Shop nightly",
      frequency: "daily",
      time: "02:30",
      timeZone: "UTC",
      freshnessQuery: "SELECT 1; UPDATE orders SET total = 0",
      assertions: "orders >= lots",
    });
    expect(r.success).toBe(false);
    const errors = fieldErrorsOf(r.error!);
    expect(Object.keys(errors).sort()).toEqual(["assertions", "freshnessQuery"]);
    expect(errors.freshnessQuery).toEqual(["One statement only: the freshness query may not contain ;"]);
  });
});
