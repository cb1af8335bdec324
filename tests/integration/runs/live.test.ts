import { freshDatabase, type TestDatabase } from "@/tests/support/databases";
import { LiveRuns, type LiveEvent } from "@/lib/runs/live";
import { runLogResponse } from "@/lib/runs/log-download";
import { reconcileOnce } from "@/lib/runs/reconcile";
import { runEventsResponse } from "@/lib/runs/sse";
import { startRun } from "@/lib/runs/start-run";
import { stopRun } from "@/lib/runs/stop-run";
import { getRunView, type RunView } from "@/lib/runs/view";
import { PIPELINE_JOB } from "@/lib/validation/run";
import { eventually, makeUser, readEvents, startRunsFixture, stopRunsFixture, type RunsFixture } from "./support";
import { allowKeyPaths } from "@/tests/support/key-paths";
import { stripConsoleNotes } from "@/lib/jenkins";
import { rawConsoleLog } from "@/tests/integration/jenkins/support";

// The live feed, Stop, the log download and a Jenkins restart mid-run, against the emulator
// with the stand-in pipeline. The SSE route's function is invoked with a Request and its
// stream read as a browser would.

jest.setTimeout(120_000);

let fx: RunsFixture;
let t: TestDatabase;
let live: LiveRuns;
beforeAll(async () => {
  [fx, t] = await Promise.all([startRunsFixture(), freshDatabase("sqlite")]);
  await allowKeyPaths(t.db);
  live = new LiveRuns({ db: t.db, jenkins: fx.admin, intervalMs: 100 });
});
afterAll(async () => {
  await stopRunsFixture(fx);
  await t?.drop();
});

const start = async (mode: "pass" | "gate" | "big") => {
  const backupPath = fx.backupPath(mode);
  const { runId } = await startRun(
    { db: t.db, jenkins: fx.admin, portalUrl: "http://portal.test" },
    await makeUser(t.db),
    fx.params(backupPath),
  );
  return { runId, backupPath };
};
const events = (runId: string, query = "", headers: Record<string, string> = {}) =>
  runEventsResponse({ db: t.db, live }, new Request(`http://portal.test/api/runs/${runId}/events${query}`, { headers }), runId);

type Received = LiveEvent & { id?: string };

it("should stream run and log events, live stages, and end once the run is over with the whole log sent once", async () => {
  const { runId, backupPath } = await start("gate");
  const response = await events(runId);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");

  const received: Received[] = [];
  let gateOpened = false;
  let sawLiveStages: RunView | null = null;
  for await (const event of readEvents(response)) {
    received.push(event);
    const logSoFar = received.flatMap((e) => (e.event === "log" ? [e.data.text] : [])).join("");
    if (
      event.event === "run" &&
      event.data.status === "running" &&
      event.data.stages[0]!.status === "passed" &&
      event.data.stages[1]!.status === "running"
    )
      sawLiveStages = event.data;
    if (!gateOpened && logSoFar.includes("GATE-WAITING") && sawLiveStages) {
      // Two tabs on one run share one poller.
      const second = await events(runId);
      expect(live.watchedRuns).toEqual([runId]);
      await second.body!.cancel();
      gateOpened = true;
      await fx.openGate(backupPath);
    }
    if (event.event === "end") break;
  }
  expect(sawLiveStages?.stages.map((s) => s.status)).toEqual(["passed", "running", "pending", "pending", "pending"]);
  const runs = received.filter((e): e is Extract<Received, { event: "run" }> => e.event === "run");
  expect(runs[0]!.data.status).toMatch(/queued|running/);
  expect(runs.at(-1)!.data).toMatchObject({ status: "passed", totalRows: 57 });
  expect(received.at(-1)!.event).toBe("end");

  const logs = received.filter((e): e is Extract<Received, { event: "log" }> => e.event === "log");
  const full = await fx.admin.readFullLog(PIPELINE_JOB, runs.at(-1)!.data.buildNumber!);
  expect(logs.map((e) => e.data.text).join("")).toBe(full);
  // Contiguous: each chunk starts where the previous one ended; ids are the resume offsets.
  logs.forEach((e, i) => {
    expect(e.data.offset).toBe(i === 0 ? 0 : logs[i - 1]!.data.next);
    expect(e.id).toBe(String(e.data.next));
  });
  // Offsets follow the raw log (console notes included); the text never shows a note.
  const raw = rawConsoleLog(fx.emulator, PIPELINE_JOB, runs.at(-1)!.data.buildNumber!);
  expect(raw.toString("utf8")).toContain("\u001b[8mha:");
  expect(full).not.toContain("\u001b");
  expect(logs.at(-1)!.data.next).toBe(raw.length);
});

it("should resume from logOffset (or Last-Event-ID) without resending what the client has, in 128 kB chunks", async () => {
  const { runId } = await start("big");
  const closed = await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    const view = await getRunView(t.db, runId);
    return view?.status === "passed" ? view : null;
  }, "the big run to pass");
  const full = Buffer.from(await fx.admin.readFullLog(PIPELINE_JOB, closed.buildNumber!));
  expect(full.length).toBeGreaterThan(256 * 1024);

  const collect = async (response: Response) => {
    const got: Received[] = [];
    for await (const event of readEvents(response)) {
      got.push(event);
      if (event.event === "end") break;
    }
    return got;
  };
  const all = (await collect(await events(runId))).filter((e) => e.event === "log") as Extract<Received, { event: "log" }>[];
  expect(all.length).toBeGreaterThan(2);
  expect(Math.max(...all.map((e) => Buffer.byteLength(e.data.text)))).toBeLessThanOrEqual(128 * 1024);
  expect(all.map((e) => e.data.text).join("")).toBe(full.toString("utf8"));

  const raw = rawConsoleLog(fx.emulator, PIPELINE_JOB, closed.buildNumber!);
  const resumeAt = all[1]!.data.next;
  for (const response of [
    await events(runId, `?logOffset=${resumeAt}`),
    await events(runId, "?logOffset=0", { "last-event-id": String(resumeAt) }),
  ]) {
    const got = await collect(response);
    const text = got.flatMap((e) => (e.event === "log" ? [e.data.text] : [])).join("");
    expect(text).toBe(stripConsoleNotes(raw.subarray(resumeAt).toString("utf8")));
    expect(got.find((e) => e.event === "log")).toMatchObject({ data: { offset: resumeAt } });
    expect(got.at(-1)!.event).toBe("end");
  }

  // At the end already: a run event and end, no log.
  const atEnd = await collect(await events(runId, `?logOffset=${raw.length}`));
  expect(atEnd.map((e) => e.event)).toEqual(["run", "end"]);
});

it("should refuse bad ids and offsets with 400 and unknown runs with 404, never 500", async () => {
  const { runId } = await start("pass");
  for (const query of [
    "?logOffset=-1",
    "?logOffset=abc",
    "?logOffset=1e9",
    "?logOffset=99999999999999999999",
    "?logOffset=1&logOffset=2",
    "?logOffset=",
  ]) {
    expect({ query, status: (await events(runId, query)).status }).toEqual({ query, status: 400 });
  }
  for (const id of ["../etc", "a b", "x".repeat(65), "<script>", ""]) {
    const response = await runEventsResponse({ db: t.db, live }, new Request("http://portal.test/api/runs/x/events"), id);
    expect({ id, status: response.status }).toEqual({ id, status: 400 });
    expect((await runLogResponse({ db: t.db, jenkins: fx.admin }, id)).status).toBe(400);
  }
  expect((await runEventsResponse({ db: t.db, live }, new Request("http://portal.test/api/runs/nope/events"), "nope")).status).toBe(404);
});

it("should download the whole console as a text/plain attachment", async () => {
  const { runId } = await start("big");
  const view = await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    const v = await getRunView(t.db, runId);
    return v?.status === "passed" ? v : null;
  }, "run to pass");
  const response = await runLogResponse({ db: t.db, jenkins: fx.admin }, runId);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  expect(response.headers.get("content-disposition")).toMatch(
    new RegExp(`^attachment; filename="restore-drill-${runId}-restore-drill-pipeline-${view.buildNumber}\\.log"$`),
  );
  expect(await response.text()).toBe(await fx.admin.readFullLog(PIPELINE_JOB, view.buildNumber!));
});

it("should stop a running run: the build is aborted and the run ends aborted", async () => {
  const user = await makeUser(t.db);
  const { runId } = await start("gate");
  await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    return (await getRunView(t.db, runId))?.status === "running";
  }, "run to be running");
  await stopRun({ db: t.db, jenkins: fx.admin }, user, runId);
  const view = await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    const v = await getRunView(t.db, runId);
    return v?.status === "aborted" ? v : null;
  }, "run to end aborted");
  expect((await fx.admin.getBuild(PIPELINE_JOB, view.buildNumber!)).result).toBe("ABORTED");
  expect(view.reason).toContain(user.email);
  expect(await t.db.auditEvent.count({ where: { action: "run.stop", target: runId, outcome: "success" } })).toBe(1);
  await expect(stopRun({ db: t.db, jenkins: fx.admin }, user, runId)).rejects.toThrow(/already finished/);
});

it("should survive Jenkins restarting mid-run: the run stays open while Jenkins is down, then ends with the right verdict", async () => {
  const { runId } = await start("gate");
  await eventually(async () => {
    await reconcileOnce({ db: t.db, jenkins: fx.admin });
    return (await getRunView(t.db, runId))?.status === "running";
  }, "run to be running");

  const restart = await fx.emulator.request("emulator/restart?downSeconds=2", {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`boss:${fx.adminToken}`).toString("base64")}` },
  });
  expect(restart.status).toBe(202);
  const whileDown = await reconcileOnce({ db: t.db, jenkins: fx.adapterWith({ retries: 0 }) });
  expect(whileDown.faults[0]?.kind).toBe("unreachable");
  expect((await getRunView(t.db, runId))?.status).toBe("running");

  const view = await eventually(
    async () => {
      await reconcileOnce({ db: t.db, jenkins: fx.adapterWith({ retries: 0 }) });
      const v = await getRunView(t.db, runId);
      return v && v.status !== "running" ? v : null;
    },
    "run to close after the restart",
    15_000,
    250,
  );
  // The restart killed the build before it wrote a report: never green, and says why.
  expect(view).toMatchObject({ status: "could-not-verify", reasonCode: "BUILD_ABORTED" });
  expect(view.reason).toMatch(/may have restarted/);
});

it("should release a feed whose browser was gone before it started, and end a feed quietly once its reader is gone", async () => {
  const { runId, backupPath } = await start("gate");
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", record);
  process.on("unhandledRejection", record);
  try {
    const gone = new AbortController();
    gone.abort();
    const response = await runEventsResponse(
      { db: t.db, live },
      new Request(`http://portal.test/api/runs/${runId}/events`, { signal: gone.signal }),
      runId,
    );
    await eventually(async () => !live.watchedRuns.includes(runId) || null, "the watcher of a feed nobody reads to stop", 5000);
    await response.body?.cancel();

    // A reader that stops mid-stream: the feed ends and its watcher goes, with nothing thrown.
    const reading = await events(runId);
    const reader = reading.body!.getReader();
    await reader.read();
    await reader.cancel(new Error("aborted"));
    await eventually(async () => !live.watchedRuns.includes(runId) || null, "the watcher of a cancelled feed to stop", 5000);
    expect(uncaught).toEqual([]);
  } finally {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
    await fx.openGate(backupPath);
  }
});
