import { queueIdFrom, startTestEmulator, type TestEmulator } from "@/tests/support/emulator";
import { freestyleXml, stringParam } from "./fixtures";

// Jenkins merges a new queue item into one still waiting for the same job when their parameters are equal
// (Queue#schedule2 asks ParametersAction.shouldSchedule, which compares the parameter sets) and answers the
// duplicate buildWithParameters with 303 to the waiting item. A per-click parameter (RUN_NOW_CLICK on a
// schedule's job, issue 19) is what keeps two deliberate "Run now" clicks two builds. The emulator must merge
// exactly then, or the portal's fix would be tested against a queue that never merges.

jest.setTimeout(60_000);

let jenkins: TestEmulator;
beforeAll(async () => {
  jenkins = await startTestEmulator();
  const xml = freestyleXml({ parameters: stringParam("TARGET", "db") + stringParam("RUN_NOW_CLICK", ""), command: "true" });
  const res = await jenkins.request("createItem?name=merge-job", { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await jenkins?.cleanup();
});

/** Queues merge-job with a long quiet period, so each item is still waiting when the next request comes. */
async function queue(form: Record<string, string>): Promise<{ status: number; id: number }> {
  const res = await jenkins.request("job/merge-job/buildWithParameters?delay=30sec", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
  return { status: res.status, id: queueIdFrom(res) };
}

async function cancel(id: number): Promise<void> {
  await jenkins.request(`queue/cancelItem?id=${id}`, { method: "POST", redirect: "manual" });
}

it("should merge a request whose parameters equal a waiting item's, defaults included, and answer 303 to it", async () => {
  const first = await queue({ RUN_NOW_CLICK: "click-aaaa-0001" });
  expect(first.status).toBe(201);
  // The same click again (a retried request), and the same values spelled out in full: one item.
  expect(await queue({ RUN_NOW_CLICK: "click-aaaa-0001" })).toEqual({ status: 303, id: first.id });
  expect(await queue({ TARGET: "db", RUN_NOW_CLICK: "click-aaaa-0001" })).toEqual({ status: 303, id: first.id });
  await cancel(first.id);
});

it("should queue a second item when only the per-click parameter differs", async () => {
  const a = await queue({ RUN_NOW_CLICK: "click-bbbb-0001" });
  const b = await queue({ RUN_NOW_CLICK: "click-bbbb-0002" });
  expect([a.status, b.status]).toEqual([201, 201]);
  expect(b.id).not.toBe(a.id);
  // Two clicks without the parameter (all defaults) are what Jenkins merges: the bug the parameter fixes.
  const c = await queue({});
  expect(await queue({})).toEqual({ status: 303, id: c.id });
  const waiting = (await (await jenkins.request("queue/api/json?tree=items[id]")).json()) as { items: Array<{ id: number }> };
  expect(waiting.items.map((i) => i.id).sort()).toEqual([a.id, b.id, c.id].sort());
  for (const id of [a.id, b.id, c.id]) await cancel(id);
});
