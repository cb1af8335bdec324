import { elapsed, formatClock, formatDuration, readRunClock, steadyClock } from "@/lib/runs/run-clock";

/** One reading of the header's clock, without the page's history. */
const runClock = (...args: Parameters<typeof readRunClock>) => formatClock(readRunClock(...args));

// The run page's clocks (issue 19): a run that waited in Jenkins' queue must not show its clock
// falling back to 0 s when the build starts; the wait is shown as a wait, then the build's time.

const created = "2026-12-05T10:00:00.000Z";
const at = (seconds: number) => Date.parse(created) + seconds * 1000;

describe("runClock", () => {
  it("should count the wait since the request, labelled, while the build has not started", () => {
    expect(runClock({ status: "queued", createdAt: created, startedAt: null, finishedAt: null }, at(9))).toBe("waiting 9 s");
    expect(runClock({ status: "running", createdAt: created, startedAt: null, finishedAt: null }, at(75))).toBe("waiting 1 min 15 s");
  });

  it("should count the build's own time once it started, never going back to a smaller unlabelled value", () => {
    const started = new Date(at(9)).toISOString();
    const samples = [
      runClock({ status: "queued", createdAt: created, startedAt: null, finishedAt: null }, at(9)),
      runClock({ status: "running", createdAt: created, startedAt: started, finishedAt: null }, at(9.2)),
      runClock({ status: "running", createdAt: created, startedAt: started, finishedAt: null }, at(12)),
    ];
    expect(samples).toEqual(["waiting 9 s", "0 s", "3 s"]);
  });

  it("should show a finished run's duration, and the time to the verdict of a run no build ever started", () => {
    const started = new Date(at(2)).toISOString();
    const finished = new Date(at(62)).toISOString();
    expect(runClock({ status: "passed", createdAt: created, startedAt: started, finishedAt: finished }, null)).toBe("1 min 0 s");
    expect(runClock({ status: "could-not-verify", createdAt: created, startedAt: null, finishedAt: finished }, null)).toBe("1 min 2 s");
  });

  it("should show an ellipsis before the browser knows the time", () => {
    expect(runClock({ status: "running", createdAt: created, startedAt: created, finishedAt: null }, null)).toBe("…");
    expect(elapsed(null, null, at(1))).toBe("");
  });
});

describe("steadyClock", () => {
  it("should keep the live clock's last value when the verdict brings a build time a moment shorter", () => {
    const started = new Date(at(0)).toISOString();
    const live = readRunClock({ status: "running", createdAt: created, startedAt: started, finishedAt: null }, at(18.2));
    // Jenkins says the build took 17.4 s; the browser learned it at 18.2 s.
    const done = readRunClock(
      { status: "passed", createdAt: created, startedAt: started, finishedAt: new Date(at(17.4)).toISOString() },
      null,
    );
    expect(formatClock(live)).toBe("18 s");
    expect(formatClock(done)).toBe("17 s");
    expect(formatClock(steadyClock(live, done))).toBe("18 s");
  });

  it("should follow the clock forward, and start afresh when the wait turns into the build's time", () => {
    const waiting = readRunClock({ status: "queued", createdAt: created, startedAt: null, finishedAt: null }, at(9));
    const building = readRunClock(
      { status: "running", createdAt: created, startedAt: new Date(at(9)).toISOString(), finishedAt: null },
      at(9.1),
    );
    expect(formatClock(steadyClock(waiting, building))).toBe("0 s");
    const later = readRunClock(
      { status: "running", createdAt: created, startedAt: new Date(at(9)).toISOString(), finishedAt: null },
      at(12),
    );
    expect(formatClock(steadyClock(building, later))).toBe("3 s");
    expect(steadyClock(null, later)).toBe(later);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [-500, "0 s"],
    [59_400, "59 s"],
    [3_599_000, "59 min 59 s"],
    [3_660_000, "1 h 1 min"],
  ])("should format %i ms as %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
