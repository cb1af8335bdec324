import { advanceRun, phaseText, runPhase, type MachineRun } from "@/lib/runs/run-machine";
import { STAGE_NAMES, type StageStatus, type StageView } from "@/lib/runs/stages";
import type { RunStatus } from "@/lib/runs/status";

const T = (s: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, s)).toISOString();

/** A run whose stages have the given statuses, in STAGE_NAMES order; missing ones are pending. */
function run(
  status: RunStatus,
  stageStatuses: StageStatus[] = [],
  times: Partial<Record<string, [string | null, string | null]>> = {},
): MachineRun {
  const stages: StageView[] = STAGE_NAMES.map((name, i) => {
    const st = stageStatuses[i] ?? "pending";
    const [startedAt, finishedAt] = times[name] ?? [
      st === "pending" ? null : T(i * 10),
      ["pending", "running"].includes(st) ? null : T(i * 10 + 5),
    ];
    return { name, status: st, startedAt, finishedAt };
  });
  return {
    status,
    startedAt: status === "queued" ? null : T(0),
    finishedAt: ["queued", "running"].includes(status) ? null : T(60),
    stages,
  };
}

const ALL_PASSED: StageStatus[] = ["passed", "passed", "passed", "passed", "passed"];
const header = (r: MachineRun) => phaseText(runPhase(r));

describe("run page state machine: phases", () => {
  it("should say queued while Jenkins holds the build and offer Stop", () => {
    expect(runPhase(run("queued"))).toEqual({ kind: "queued", canStop: true });
    expect(header(run("queued"))?.label).toBe("Waiting for Jenkins");
  });

  it("should say starting while running with no stage seen yet", () => {
    expect(runPhase(run("running"))).toEqual({ kind: "starting", canStop: true });
    expect(header(run("running"))?.detail).toBe("Starting the pipeline.");
  });

  it("should name the running stage", () => {
    expect(runPhase(run("running", ["passed", "running"]))).toEqual({ kind: "stage", stage: "deploy", canStop: true });
    expect(header(run("running", ["passed", "running"]))?.detail).toBe("Now: deploy.");
  });

  it("should name the next stage between two stages rather than going back to 'Starting the pipeline'", () => {
    expect(runPhase(run("running", ["passed", "passed"]))).toEqual({ kind: "stage", stage: "restore", canStop: true });
  });

  it("should be finishing, without Stop, once every stage is final but the verdict is not in", () => {
    const phase = runPhase(run("running", ALL_PASSED));
    expect(phase).toEqual({ kind: "finishing", canStop: false });
    expect(header(run("running", ALL_PASSED))?.detail).not.toMatch(/Starting the pipeline/);
    expect(runPhase(run("running", ["passed", "failed", "skipped", "skipped", "passed"])).kind).toBe("finishing");
  });

  it("should be done, without Stop or header text, for every final status", () => {
    for (const status of ["passed", "failed", "could-not-verify", "aborted", "failed-to-start"] as const) {
      expect(runPhase(run(status, ALL_PASSED))).toEqual({ kind: "done", canStop: false });
      expect(header(run(status))).toBeNull();
    }
  });
});

describe("run page state machine: transitions and out-of-order snapshots", () => {
  it("should follow queued → running → stages → finishing → passed", () => {
    const steps = [
      run("queued"),
      run("running"),
      run("running", ["running"]),
      run("running", ["passed", "running"]),
      run("running", ["passed", "passed", "passed", "passed", "running"]),
      run("running", ALL_PASSED),
      run("passed", ALL_PASSED),
    ];
    const kinds = steps.reduce<{ state: MachineRun; kinds: string[] }>(
      (acc, next) => {
        const state = advanceRun(acc.state, next);
        return { state, kinds: [...acc.kinds, runPhase(state).kind] };
      },
      { state: steps[0]!, kinds: [] },
    ).kinds;
    expect(kinds).toEqual(["queued", "starting", "stage", "stage", "stage", "finishing", "done"]);
  });

  it("should ignore an older snapshot: running after all stages passed stays finishing", () => {
    const late = advanceRun(run("running", ALL_PASSED), run("running"));
    expect(runPhase(late).kind).toBe("finishing");
    expect(late.stages.every((s) => s.status === "passed")).toBe(true);
  });

  it("should never reopen a final verdict, nor change it to another final status", () => {
    const passed = run("passed", ALL_PASSED);
    expect(advanceRun(passed, run("running", ["passed"]))).toBe(passed);
    expect(advanceRun(passed, run("queued"))).toBe(passed);
    expect(advanceRun(passed, run("failed", ALL_PASSED))).toBe(passed);
  });

  it("should not move running back to queued", () => {
    const running = run("running", ["running"]);
    expect(advanceRun(running, run("queued"))).toBe(running);
  });

  it("should never move a stage back (running → pending, passed → running)", () => {
    const state = advanceRun(run("running", ["passed", "running"]), run("running", ["running", "pending"]));
    expect(state.stages.slice(0, 2).map((s) => s.status)).toEqual(["passed", "running"]);
  });

  it("should keep a finished stage's duration when the report brings shorter times (Deploy 12 s → 7 s)", () => {
    const live = run("running", ALL_PASSED, { deploy: [T(0), T(12)] });
    const report = run("passed", ALL_PASSED, { deploy: [T(3), T(10)] });
    const state = advanceRun(live, report);
    const deploy = state.stages.find((s) => s.name === "deploy")!;
    expect(Date.parse(deploy.finishedAt!) - Date.parse(deploy.startedAt!)).toBe(12_000);
    expect(state.status).toBe("passed");
  });

  it("should fill a finished stage's unknown times and take a corrected stage verdict", () => {
    const before = run("running", ["failed"], { decrypt: [null, null] });
    const after = advanceRun(before, run("failed", ["could-not-verify"], { decrypt: [T(1), T(4)] }));
    expect(after.stages[0]).toEqual({ name: "decrypt", status: "could-not-verify", startedAt: T(1), finishedAt: T(4) });
  });

  it("should keep a running stage's first start so its ticking time never jumps back", () => {
    const state = advanceRun(
      run("running", ["running"], { decrypt: [T(0), null] }),
      run("running", ["running"], { decrypt: [T(5), null] }),
    );
    expect(state.stages[0]?.startedAt).toBe(T(0));
  });

  it("should keep the run's first known start", () => {
    const first = run("running");
    const state = advanceRun(first, { ...run("running"), startedAt: T(30) });
    expect(state.startedAt).toBe(T(0));
  });
});
