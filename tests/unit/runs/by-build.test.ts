import { buildRefSchema, byBuildPath } from "@/lib/runs/by-build";

// The by-build page's parameters, as report.sh prints them into the failure e-mail's link.

describe("buildRefSchema", () => {
  it("should take a pipeline job name and a positive build number", () => {
    const ref = buildRefSchema.parse({ job: "restore-drill-pipeline-gpg", build: "117" });
    expect(ref).toEqual({ job: "restore-drill-pipeline-gpg", build: 117 });
    expect(byBuildPath(ref)).toBe("/runs/by-build/restore-drill-pipeline-gpg/117");
  });

  it.each([
    ["a folder path", { job: "folder/restore-drill-pipeline", build: "1" }],
    ["a dot segment", { job: "..", build: "1" }],
    ["an empty job", { job: "", build: "1" }],
    ["build zero", { job: "restore-drill-pipeline", build: "0" }],
    ["a leading zero", { job: "restore-drill-pipeline", build: "01" }],
    ["an exponent", { job: "restore-drill-pipeline", build: "1e3" }],
    ["a negative number", { job: "restore-drill-pipeline", build: "-4" }],
    ["a number beyond the column", { job: "restore-drill-pipeline", build: "9999999999" }],
  ])("should refuse %s", (_, params) => {
    expect(buildRefSchema.safeParse(params).success).toBe(false);
  });
});
