import { JenkinsError } from "@/lib/jenkins";
import { createSweepTrigger, SWEEP_INTERVAL_MS, SWEEP_JOB } from "@/lib/runs/sweep-trigger";

function recorder(fail?: JenkinsError) {
  const calls: string[] = [];
  return {
    calls,
    jenkins: {
      triggerBuild: async (name: string) => {
        calls.push(name);
        if (fail) throw fail;
        return { queueId: calls.length, joinedExisting: false };
      },
    },
  };
}

describe("the reconciler's sweep trigger", () => {
  it("should start the sweep job on the first round and then once per interval", async () => {
    let now = 1_000_000;
    const { calls, jenkins } = recorder();
    const trigger = createSweepTrigger(jenkins, { now: () => now });
    expect(await trigger.tick()).toBe("triggered");
    now += 10_000;
    expect(await trigger.tick()).toBe("not-due");
    now += SWEEP_INTERVAL_MS;
    expect(await trigger.tick()).toBe("triggered");
    expect(calls).toEqual([SWEEP_JOB, SWEEP_JOB]);
  });

  it("should report a Jenkins without the sweep job and wait an interval before asking again", async () => {
    let now = 0;
    const { calls, jenkins } = recorder(new JenkinsError("not-found", `job.build ${SWEEP_JOB}`, "no such job", 404));
    const trigger = createSweepTrigger(jenkins, { now: () => now, intervalMs: 60_000 });
    expect(await trigger.tick()).toBe("no-job");
    now += 30_000;
    expect(await trigger.tick()).toBe("not-due");
    now += 30_000;
    expect(await trigger.tick()).toBe("no-job");
    expect(calls).toHaveLength(2);
  });

  it("should count an unreachable Jenkins as a failed attempt, not an error of the round", async () => {
    const { jenkins } = recorder(new JenkinsError("unreachable", `job.build ${SWEEP_JOB}`, "ECONNREFUSED"));
    expect(await createSweepTrigger(jenkins).tick()).toBe("failed");
  });
});
