import { detailPairs, targetView, type TargetView } from "@/lib/audit/present";

describe("Audit details in words", () => {
  it("turns a JSON object into label/value pairs, nested values flattened", () => {
    expect(
      detailPairs(JSON.stringify({ jobName: "restore-shop", scopes: ["read", "run"], filters: { dbType: "mysql", from: "" } })),
    ).toEqual([
      { label: "job name", value: "restore-shop" },
      { label: "scopes", value: "read, run" },
      { label: "filters", value: "db type mysql; from —" },
    ]);
  });

  it("keeps text that is not JSON as one note, and nothing as nothing", () => {
    expect(detailPairs("plain words")).toEqual([{ label: "note", value: "plain words" }]);
    expect(detailPairs("42")).toEqual([{ label: "note", value: "42" }]);
    expect(detailPairs(null)).toEqual([]);
  });
});

describe("Audit targets by name", () => {
  const views = new Map<string, TargetView>([["schedule:c1", { label: 'Schedule "Nightly shop"', href: "/schedules/c1" }]]);

  it("names a known target from the action's kind", () => {
    expect(targetView(views, "schedule.update", "c1")).toEqual({ label: 'Schedule "Nightly shop"', href: "/schedules/c1" });
  });

  it("says removed when the record is gone, and keeps targets of other actions as written", () => {
    expect(targetView(views, "schedule.delete", "c2")).toEqual({ label: "schedule c2 (removed)", href: null });
    expect(targetView(views, "run.start", "c1")).toEqual({ label: "run c1 (removed)", href: null });
    expect(targetView(views, "auth.sign-in", "someone@example.com")).toEqual({ label: "someone@example.com", href: null });
    expect(targetView(views, "auth.sign-in", null)).toBeNull();
  });
});
